/*
 * sigil-malloc-trim.node: a Node-API addon with one function, trim(), that asks glibc to give free heap
 * memory back to the system (malloc_trim(0)). Shipped in dist/lib/<arch>/ beside the bundled glibc and Node
 * on Linux only; backend/memoryTrim.ts loads it and backend/idleCollector.ts calls it when the plugin idles.
 *
 * Why: glibc returns freed memory to the system only from the top of each arena. After a burst (many
 * concurrent queries, query worker threads that have exited, a large answer) tens of MiB of free blocks
 * stay resident in the middle of the arenas until something calls malloc_trim, which releases free pages
 * anywhere in every arena. No JavaScript API reaches it.
 */
#include <malloc.h>
#include <node_api.h>

/* trim(): true when memory was given back. */
static napi_value trim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value released;
  if (napi_get_boolean(env, malloc_trim(0) != 0, &released) != napi_ok) return NULL;
  return released;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "trim", NAPI_AUTO_LENGTH, trim, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "trim", fn) != napi_ok) return NULL;
  return exports;
}
