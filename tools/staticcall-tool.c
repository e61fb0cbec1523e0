/*
 * staticcall-tool - list, verify and generate staticcall site tables
 * (include/staticcall/abi.h) in ELF files of x86-64, aarch64 and
 * powerpc64 from one build-machine binary.  See doc/tool.md.
 *
 *   staticcall-tool list [--json] FILE...
 *   staticcall-tool verify [-q] FILE...
 *   staticcall-tool gen (--keys=F,G,... | --all) [-v] -o OUT.o IN.o
 *
 * Exit status: 0 fine, 1 problems found (verify) or the table could not be
 * read cleanly, 2 a file that is not a readable ELF file or bad usage.
 */
#include <stdlib.h>
#include <string.h>

#include "scelf.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "?"
#endif

static void usage(FILE *out)
{
	fprintf(out,
		"usage: staticcall-tool list [--json] FILE...\n"
		"       staticcall-tool verify [-q] FILE...\n"
		"       staticcall-tool gen (--keys=F,G,... | --all) [-v] -o OUT.o IN.o\n"
		"  list    keys and sites of objects, executables, shared objects\n"
		"  verify  one line per problem; exit 1 when there is any\n"
		"  gen     add a site table for calls to the named functions to an\n"
		"          object compiled without the plugin (writes OUT.o)\n");
}

static int cmd_list(int argc, char **argv)
{
	int json = 0, rc = 0, i, files = 0, nfiles = 0, shown = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else
			nfiles++;
	}
	/* Several files with --json: one array, still one JSON document. */
	if (json && nfiles > 1)
		printf("[\n");
	for (i = 0; i < argc; i++) {
		struct sc_file f;
		size_t j;

		if (!strcmp(argv[i], "--json"))
			continue;
		files++;
		if (sc_load_path(&f, argv[i])) {
			fprintf(stderr, "staticcall-tool: %s: %s\n", argv[i], f.err);
			sc_free(&f);
			rc = 2;
			continue;
		}
		for (j = 0; j < f.nproblems; j++)
			fprintf(stderr, "staticcall-tool: %s: %s\n", argv[i],
				f.problems[j].text);
		if (f.nproblems && rc < 1)
			rc = 1;
		if (json && shown++)
			printf(",\n");
		if (json)
			sc_list_json(stdout, &f);
		else
			sc_list_text(stdout, &f);
		sc_free(&f);
	}
	if (json && nfiles > 1)
		printf("]\n");
	if (!files) {
		usage(stderr);
		return 2;
	}
	return rc;
}

static int cmd_verify(int argc, char **argv)
{
	int quiet = 0, rc = 0, i, files = 0;

	for (i = 0; i < argc; i++) {
		struct sc_problem *list = NULL;
		size_t n = 0, j;
		struct sc_file f;

		if (!strcmp(argv[i], "-q")) {
			quiet = 1;
			continue;
		}
		files++;
		if (sc_load_path(&f, argv[i])) {
			printf("%s: %s\n", argv[i], f.err);
			sc_free(&f);
			rc = 2;
			continue;
		}
		sc_verify(&f, &list, &n);
		for (j = 0; j < n; j++) {
			printf("%s: %s\n", argv[i], list[j].text);
			free(list[j].text);
		}
		free(list);
		if (n && rc < 1)
			rc = 1;
		if (!n && !quiet)
			printf("%s: %zu keys, %zu sites: ok\n", argv[i], f.nkeys,
			       f.nsites - f.ndefinitions);
		sc_free(&f);
	}
	if (!files) {
		usage(stderr);
		return 2;
	}
	return rc;
}

/* Split "f,g,h" into a NULL-terminated array (the string is modified). */
static const char **split_keys(char *s)
{
	size_t n = 2;
	const char **v;
	char *p;

	for (p = s; *p; p++)
		n += *p == ',';
	v = calloc(n, sizeof(*v));
	if (!v)
		return NULL;
	n = 0;
	for (p = strtok(s, ","); p; p = strtok(NULL, ","))
		v[n++] = p;
	return v;
}

static int cmd_gen(int argc, char **argv)
{
	struct sc_gen_opts o = { 0 };
	const char *in = NULL, *out = NULL;
	const char **keys = NULL;
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "--keys=", 7)) {
			free(keys);
			keys = split_keys(argv[i] + 7);
		} else if (!strcmp(argv[i], "--all")) {
			o.all = 1;
		} else if (!strcmp(argv[i], "-v")) {
			o.verbose = 1;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out = argv[++i];
		} else if (argv[i][0] == '-' || in) {
			usage(stderr);
			free(keys);
			return 2;
		} else {
			in = argv[i];
		}
	}
	if (!in || !out || (!keys && !o.all)) {
		usage(stderr);
		free(keys);
		return 2;
	}
	o.keys = keys;
	rc = sc_gen(in, out, &o);
	free(keys);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "list"))
		return cmd_list(argc - 2, argv + 2);
	if (!strcmp(argv[1], "verify"))
		return cmd_verify(argc - 2, argv + 2);
	if (!strcmp(argv[1], "gen"))
		return cmd_gen(argc - 2, argv + 2);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("staticcall-tool %s (site table version 1)\n",
		       PACKAGE_VERSION);
		return 0;
	}
	fprintf(stderr, "staticcall-tool: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
