/* fuzz_spec.c: libFuzzer target for the spec reader (spec_parse) and, for specs it accepts, the plan and its text
 * and JSON forms. Any crash, sanitizer report or leak is a bug. Seed corpus: verify/fuzz/corpus/spec/.
 *   make out/fuzz/spec && out/fuzz/spec -max_total_time=60 verify/fuzz/corpus/spec */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "../../gen/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    static sg_spec s;
    static sg_plan pl;
    if (!devnull) devnull = fopen("/dev/null", "w");
    if (!devnull) return 0;
    sg_diag d;
    diag_init(&d, "fuzz.yaml");
    d.out = devnull;
    if (spec_parse("fuzz.yaml", (const char *)data, size, &s, &d) && plan_build(&s, &pl, &d)) {
        plan_print_text(&pl, devnull);
        json_t *o = plan_to_json(&pl);
        char *text = json_dumps(o, JSON_PRESERVE_ORDER);
        free(text);
        json_decref(o);
    }
    return 0;
}
