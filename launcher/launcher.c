/*
 * gpx_sigil_linux_<arch>: the plugin executable Grafana starts on Linux. It is linked statically, so it needs
 * nothing from the host, and it replaces itself (execve: same PID, argv, environment and stdio, which
 * go-plugin relies on) with the bundled ELF loader running the bundled Node single executable:
 *
 *   <dir>/lib/<arch>/<loader> --inhibit-cache --library-path <dir>/lib/<arch> --argv0 <argv0> \
 *       <dir>/lib/<arch>/sigil-node <argv1...>
 *
 * <dir> is the folder of this executable (from /proc/self/exe, else argv[0]). The loader and every shared
 * library Node needs (glibc, libstdc++, libgcc_s) come from lib/<arch>/, never from the host. Anything
 * missing or unusable there ends the process with one line on stderr (Grafana logs it) and exit code 127.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH "amd64"
#define LOADER "ld-linux-x86-64.so.2"
#define MACHINE EM_X86_64
#elif defined(__aarch64__)
#define ARCH "arm64"
#define LOADER "ld-linux-aarch64.so.1"
#define MACHINE EM_AARCH64
#else
#error "unsupported architecture"
#endif

#define NODE "sigil-node"
/* Node's DT_NEEDED list (scripts/build-backend.mjs copies the same files). */
static const char *LIBS[] = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "libstdc++.so.6", "libgcc_s.so.1", NULL};
#define EXIT_CANNOT_START 127

extern char **environ;

static const char *self_name = "gpx_sigil_linux_" ARCH;

static void die(const char *what, const char *path, int err) {
  if (err)
    fprintf(stderr, "%s: cannot start the Sigil backend: %s %s: %s\n", self_name, what, path, strerror(err));
  else
    fprintf(stderr, "%s: cannot start the Sigil backend: %s %s\n", self_name, what, path);
  exit(EXIT_CANNOT_START);
}

/* The folder this executable lives in, without a trailing slash. */
static void own_dir(const char *argv0, char *dir, size_t size) {
  ssize_t n = readlink("/proc/self/exe", dir, size - 1);
  if (n > 0) {
    dir[n] = '\0';
  } else if (argv0 && strchr(argv0, '/')) {
    if (!realpath(argv0, dir)) die("cannot resolve its own path", argv0, errno);
  } else {
    die("cannot find its own folder: /proc/self/exe is unreadable and argv[0] has no path:", argv0 ? argv0 : "(none)", 0);
  }
  char *slash = strrchr(dir, '/');
  if (!slash) die("cannot find its own folder from", dir, 0);
  if (slash == dir) slash[1] = '\0';
  else *slash = '\0';
}

/* Fails unless `path` is a readable ELF file for this executable's CPU. */
static void check_elf(const char *what, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(what, path, errno);
  Elf64_Ehdr header;
  ssize_t n = read(fd, &header, sizeof header);
  close(fd);
  if (n != (ssize_t)sizeof header || memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s not an ELF file:", what);
    die(msg, path, 0);
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_machine != MACHINE) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s is not built for %s (ELF machine %u):", what, ARCH, (unsigned)header.e_machine);
    die(msg, path, 0);
  }
}

static void join(char *out, size_t size, const char *a, const char *b) {
  if ((size_t)snprintf(out, size, "%s/%s", a, b) >= size) die("path too long:", a, ENAMETOOLONG);
}

int main(int argc, char **argv) {
  char dir[PATH_MAX], libdir[PATH_MAX], loader[PATH_MAX], node[PATH_MAX], lib[PATH_MAX];
  own_dir(argc > 0 ? argv[0] : NULL, dir, sizeof dir);
  if (argc > 0 && argv[0] && argv[0][0]) self_name = argv[0];

  join(libdir, sizeof libdir, dir, "lib/" ARCH);
  join(loader, sizeof loader, libdir, LOADER);
  join(node, sizeof node, libdir, NODE);

  check_elf("the bundled ELF loader is missing or damaged:", loader);
  if (access(loader, X_OK) != 0) die("the bundled ELF loader is not executable:", loader, errno);
  for (const char **name = LIBS; *name; name++) {
    join(lib, sizeof lib, libdir, *name);
    check_elf("a bundled shared library is missing or damaged:", lib);
  }
  check_elf("the bundled Node runtime is missing or damaged:", node);

  /* loader + 7 options/values + node + user arguments + NULL */
  char **args = calloc((size_t)argc + 10, sizeof *args);
  if (!args) die("out of memory for", "argv", ENOMEM);
  int i = 0;
  args[i++] = loader;
  args[i++] = "--inhibit-cache";
  args[i++] = "--library-path";
  args[i++] = libdir;
  args[i++] = "--argv0";
  args[i++] = argc > 0 && argv[0] ? argv[0] : node;
  args[i++] = node;
  for (int a = 1; a < argc; a++) args[i++] = argv[a];
  args[i] = NULL;

  /*
   * glibc's malloc keeps freed blocks below its mmap threshold in its arenas, and raises that threshold
   * (up to 32 MiB) each time a larger mapped block is freed; memory freed in the middle of an arena stays
   * resident. A large answer arrives in 64 KiB socket reads and leaves ~100 MiB resident that way after it
   * is gone. A fixed 64 KiB threshold maps such blocks and unmaps them when freed (scripts/bench-footprint.ts).
   * An administrator's own MALLOC_MMAP_THRESHOLD_ or GLIBC_TUNABLES is kept as it is.
   */
  if (!getenv("MALLOC_MMAP_THRESHOLD_") && !getenv("GLIBC_TUNABLES")) setenv("MALLOC_MMAP_THRESHOLD_", "65536", 0);

  execve(loader, args, environ);
  die("cannot execute the bundled ELF loader", loader, errno);
  return EXIT_CANNOT_START;
}
