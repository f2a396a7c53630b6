// The removal side shared by every dynamic event type: the counterpart of dyn_event_release()
// and dyn_events_release_all() in kernel/trace/trace_dynevent.c, which kprobe and uprobe events
// both go through.

import { EBUSY, ENOENT } from '../uapi/errno.ts';

/** TP_FLAG_TRACE (kernel/trace/trace_probe.h): the event is enabled for the trace buffer. */
export const TP_FLAG_TRACE = 1;

/** One registered dynamic event: whatever the type keeps, and its trace event call. */
export interface DynEventEntry {
  readonly ev: { readonly flags: number };
}

/**
 * `-:` of one command: unregister every entry the command matches, stopping at the first
 * failure (its errno); -ENOENT when nothing matched.
 */
export function dynEventRelease<E extends DynEventEntry>(list: readonly E[], matches: (e: E) => boolean, unregister: (e: E) => number): number {
  let ret = -ENOENT;
  for (const entry of [...list]) {
    if (!matches(entry)) continue;
    ret = unregister(entry);
    if (ret) break;
  }
  return ret;
}

/** The truncating open of the events file: -EBUSY (nothing removed) while any is enabled. */
export function dynEventsReleaseAll<E extends DynEventEntry>(list: readonly E[], unregister: (e: E) => number): number {
  if (list.some((e) => e.ev.flags & TP_FLAG_TRACE)) return -EBUSY;
  let ret = 0;
  for (const entry of [...list]) {
    ret = unregister(entry);
    if (ret) break;
  }
  return ret;
}
