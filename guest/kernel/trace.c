/* The directories of the tracing instance in tracefs. Counterpart of the tracefs part of
 * kernel/trace/trace.c (tracer_init_tracefs, tracing_dentry_percpu, create_trace_options_dir)
 * and kernel/trace/trace_events.c (create_event_toplevel_files: events/). The files in them
 * and the directories of the event systems and events are made by the tracing layer, which is
 * TypeScript's; it adds the latter to events/ through global_trace.event_dir (ABI.md). */
#include "kernel.h"
#include "tracefs.h"

struct trace_array global_trace;

static struct dentry *tracing_dentry_percpu(struct trace_array *tr)
{
	if (!tr->percpu_dir) {
		tr->percpu_dir = tracefs_create_dir("per_cpu", tr->dir);
		if (!tr->percpu_dir)
			pr_warn("Could not create tracefs directory 'per_cpu'\n");
	}
	return tr->percpu_dir;
}

static void tracing_init_tracefs_percpu(struct trace_array *tr, int cpu)
{
	struct dentry *d_percpu = tracing_dentry_percpu(tr);
	char cpu_dir[30];

	if (!d_percpu)
		return;
	snprintf(cpu_dir, sizeof(cpu_dir), "cpu%d", cpu);
	tr->cpu_dir[cpu] = tracefs_create_dir(cpu_dir, d_percpu);
	if (!tr->cpu_dir[cpu])
		pr_warn("Could not create tracefs '%s' entry\n", cpu_dir);
}

static void create_trace_options_dir(struct trace_array *tr)
{
	tr->options = tracefs_create_dir("options", tr->dir);
	if (!tr->options)
		pr_warn("Could not create tracefs directory 'options'\n");
}

static void create_event_toplevel_files(struct trace_array *tr)
{
	struct eventfs_inode *e_events = eventfs_create_events_dir("events", tr->dir);

	if (IS_ERR(e_events)) {
		pr_warn("Could not create tracefs 'events' directory\n");
		return;
	}
	tr->event_dir = e_events;
}

noinline void tracer_init_tracefs(void)
{
	struct trace_array *tr = &global_trace;

	create_trace_options_dir(tr);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		tracing_init_tracefs_percpu(tr, cpu);
	create_event_toplevel_files(tr);
}
