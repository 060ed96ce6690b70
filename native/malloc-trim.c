/*
 * sigil-malloc-trim.node: a Node-API addon that gives idle memory back to the system. Shipped in
 * dist/lib/<arch>/ beside the bundled glibc and Node on Linux only; backend/memoryTrim.ts loads it and
 * backend/idleCollector.ts calls it when the plugin idles.
 *
 * trim(): glibc returns freed memory to the system only from the top of each arena. After a burst (many
 * concurrent queries, query worker threads that have exited, a large answer) tens of MiB of free blocks
 * stay resident in the middle of the arenas until something calls malloc_trim, which releases free pages
 * anywhere in every arena. No JavaScript API reaches it.
 *
 * releaseRuntimePages(): the Node executable is ~110 MiB of code and read-only data, and every page the
 * process ever touched (start-up, a query, the kernel's fault-around of 64 KiB per fault) stays mapped and
 * counts in its resident size: 45-75 MiB, more than all its heaps when idle. This unmaps the clean pages of
 * the process's read-only private mappings of the runtime's file. They stay in the page cache; a page
 * touched again is mapped back by a minor fault. A mapping holding any anonymous (copied-on-write) or dirty
 * page, such as the relocated data the dynamic linker made read-only, is left alone: dropping it would lose
 * that copy.
 *
 * collectBeforeTeardown(): called in a query worker thread (backend/isolation/serve.ts). When that worker
 * ends, even terminated mid-task over its budget, a Node-API cleanup hook runs V8's memory-reducing
 * collection on the worker's own thread, after termination has unwound the task's stack and before the
 * isolate is torn down. Otherwise V8 pools the worker's whole heap at teardown and has the main thread unmap
 * it 8 s later (V8 13's page pool), which held every query up for 100-250 ms after a runaway of ~1 GiB. No
 * JavaScript runs in a terminated worker, and Node-API has no collection call, so the hook calls V8's
 * exported v8::Isolate::GetCurrent() and LowMemoryNotification() by their symbols; false (no hook) when the
 * runtime does not export them.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <malloc.h>
#include <node_api.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define MAX_RANGES 256

struct range {
  unsigned long start, end, inode, rss_kb, anon_kb, dirty_kb;
  char dev[16];
};

/*
 * The read-only private file mappings in /proc/self/smaps, with their resident and anonymous sizes; `*runtime`
 * becomes the index of the one holding `address` (-1 if none).
 */
static int read_only_mappings(unsigned long address, struct range *ranges, int *runtime) {
  FILE *smaps = fopen("/proc/self/smaps", "re");
  if (!smaps) return -1;
  char line[4096];
  int count = 0;
  struct range *current = NULL;
  *runtime = -1;
  while (fgets(line, sizeof line, smaps)) {
    unsigned long start, end, inode, kb;
    char perms[8], dev[16];
    if (sscanf(line, "%lx-%lx %7s %*s %15s %lu", &start, &end, perms, dev, &inode) == 5 && strlen(perms) == 4) {
      current = NULL;
      if (inode == 0 || perms[0] != 'r' || perms[1] != '-' || perms[3] != 'p' || count == MAX_RANGES) continue;
      current = &ranges[count];
      *current = (struct range){.start = start, .end = end, .inode = inode};
      strcpy(current->dev, dev);
      if (address >= start && address < end) *runtime = count;
      count++;
    } else if (current && sscanf(line, "Rss: %lu kB", &kb) == 1) {
      current->rss_kb = kb;
    } else if (current && sscanf(line, "Anonymous: %lu kB", &kb) == 1) {
      current->anon_kb = kb;
    } else if (current && (sscanf(line, "Private_Dirty: %lu kB", &kb) == 1 ||
                           sscanf(line, "Shared_Dirty: %lu kB", &kb) == 1)) {
      current->dirty_kb += kb;
    }
  }
  fclose(smaps);
  return count;
}

/* trim(): true when memory was given back. */
static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value released;
  if (napi_get_boolean(env, malloc_trim(0) != 0, &released) != napi_ok) return NULL;
  return released;
}

/*
 * releaseRuntimePages(): the resident bytes of the mappings it unmapped; -1 when smaps cannot be read. The
 * runtime is the file holding Node-API's own code, whatever its name or the way it was started (the
 * launcher runs it through the bundled dynamic linker, so /proc/self/exe is not it).
 */
static napi_value release_runtime_pages(napi_env env, napi_callback_info info) {
  (void)info;
  struct range ranges[MAX_RANGES];
  int runtime;
  int count = read_only_mappings((unsigned long)(void *)&napi_create_double, ranges, &runtime);
  double released = count < 0 ? -1 : 0;
  for (int i = 0; runtime >= 0 && i < count; i++) {
    const struct range *r = &ranges[i];
    if (r->inode != ranges[runtime].inode || strcmp(r->dev, ranges[runtime].dev) != 0) continue;
    // Only mappings whose resident pages are all clean file pages: a kernel counts a copied page as
    // anonymous, an emulator (qemu-user) may report it only as dirty.
    if (r->anon_kb != 0 || r->dirty_kb != 0 || r->rss_kb == 0) continue;
    if (madvise((void *)r->start, r->end - r->start, MADV_DONTNEED) == 0) released += (double)r->rss_kb * 1024;
  }
  napi_value result;
  if (napi_create_double(env, released, &result) != napi_ok) return NULL;
  return result;
}

typedef void *(*isolate_get_current_fn)(void);
typedef void (*isolate_method_fn)(void *isolate);

static isolate_get_current_fn isolate_get_current(void) {
  return (isolate_get_current_fn)dlsym(RTLD_DEFAULT, "_ZN2v87Isolate10GetCurrentEv");
}

static isolate_method_fn isolate_low_memory_notification(void) {
  return (isolate_method_fn)dlsym(RTLD_DEFAULT, "_ZN2v87Isolate21LowMemoryNotificationEv");
}

static void collect_on_cleanup(void *arg) {
  (void)arg;
  isolate_get_current_fn get_current = isolate_get_current();
  isolate_method_fn low_memory = isolate_low_memory_notification();
  void *isolate = get_current ? get_current() : NULL;
  if (isolate && low_memory) low_memory(isolate);
}

/* collectBeforeTeardown(): true when the hook is registered for this thread's environment. */
static napi_value collect_before_teardown(napi_env env, napi_callback_info info) {
  (void)info;
  int registered = isolate_get_current() && isolate_low_memory_notification() &&
                   napi_add_env_cleanup_hook(env, collect_on_cleanup, NULL) == napi_ok;
  napi_value result;
  if (napi_get_boolean(env, registered, &result) != napi_ok) return NULL;
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "trim", NAPI_AUTO_LENGTH, trim, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "trim", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "releaseRuntimePages", NAPI_AUTO_LENGTH, release_runtime_pages, NULL, &fn) !=
      napi_ok)
    return NULL;
  if (napi_set_named_property(env, exports, "releaseRuntimePages", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "collectBeforeTeardown", NAPI_AUTO_LENGTH, collect_before_teardown, NULL, &fn) !=
      napi_ok)
    return NULL;
  if (napi_set_named_property(env, exports, "collectBeforeTeardown", fn) != napi_ok) return NULL;
  return exports;
}
