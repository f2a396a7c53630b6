/* strings: the C library's string functions on fixed inputs: length, comparison, search,
 * copying (with overlapping memmove), case, tokenising, number conversion, sorting. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <ctype.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void reverse(char *s)
{
	for (size_t i = 0, j = strlen(s); i + 1 < j; i++, j--) {
		char t = s[i];

		s[i] = s[j - 1];
		s[j - 1] = t;
	}
}

int main(void)
{
	const char *text = "kprobe: dynamic anchor with self-defined handler";
	char buf[128], *words[16], *save, *w;
	int n = 0;

	printf("strlen = %zu\n", strlen(text));
	printf("strchr(':') at %ld, strrchr('e') at %ld\n", (long)(strchr(text, ':') - text),
	       (long)(strrchr(text, 'e') - text));
	printf("strstr(\"anchor\") = \"%s\"\n", strstr(text, "anchor"));
	printf("strstr(\"probe\") at %ld, strstr(\"zzz\") = %s\n",
	       (long)(strstr(text, "probe") - text), strstr(text, "zzz") ? "found" : "NULL");
	printf("strcmp: %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0,
	       strcmp("same", "same"));
	printf("strncmp(\"kprobe\", \"kprobes\", 6) = %d\n", strncmp("kprobe", "kprobes", 6));
	printf("memcmp = %d\n", memcmp("\x01\x02\x03", "\x01\x02\x04", 3) < 0);

	strcpy(buf, "0123456789");
	memmove(buf + 2, buf, 6);
	printf("memmove forward  = %s\n", buf);
	strcpy(buf, "0123456789");
	memmove(buf, buf + 3, 7);
	printf("memmove backward = %s\n", buf);

	strcpy(buf, "self-defined");
	strcat(buf, " handler");
	for (char *p = buf; *p; p++)
		*p = toupper(*p);
	printf("upper: %s\n", buf);
	reverse(buf);
	printf("reversed: %s\n", buf);

	strcpy(buf, text);
	for (w = strtok_r(buf, " :-", &save); w && n < 16; w = strtok_r(NULL, " :-", &save))
		words[n++] = w;
	qsort(words, n, sizeof(words[0]), cmp);
	printf("%d words, sorted:", n);
	for (int i = 0; i < n; i++)
		printf(" %s", words[i]);
	printf("\n");

	printf("atoi(\"  -4096\") = %d, strtol(\"0x7fff\") = %ld, strtoul(\"777\", 8) = %lu\n",
	       atoi("  -4096"), strtol("0x7fff", NULL, 0), strtoul("777", NULL, 8));
	snprintf(buf, sizeof(buf), "[%5d|%-5d|%05d|%x|%#X|%c|%.3s|%%]", 42, 42, 42, 255, 255, 'k',
		 "probe");
	printf("snprintf: %s\n", buf);
	int needed = snprintf(buf, 8, "%s", "truncated output");
	printf("truncated snprintf: \"%s\" needed %d\n", buf, needed);
	char *dup = strdup(text + 8);
	printf("strdup: %s\n", dup);
	free(dup);
	return 0;
}
