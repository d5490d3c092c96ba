/* test_spec.c: the spec reader (gen/spec.c, docs/spec.md). One bad spec per validation rule, with the exact
 * message and location; several errors in one run; defaults and fields of good specs; every example loads. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "../../gen/spec.h"

/* Parses text as "t.yaml"; returns spec_parse's result, *msgs gets everything printed (caller frees). */
static bool parse(const char *text, size_t len, sg_spec *s, char **msgs, sg_diag *dout)
{
    size_t n;
    FILE *f = open_memstream(msgs, &n);
    ck_assert_ptr_nonnull(f);
    sg_diag d;
    diag_init(&d, "t.yaml");
    d.out = f;
    bool ok = spec_parse("t.yaml", text, len, s, &d);
    fclose(f);
    if (dout) *dout = d;
    return ok;
}

static bool parse_str(const char *text, sg_spec *s, char **msgs) { return parse(text, strlen(text), s, msgs, NULL); }

/* ---- one case per rule: input, exact output, result ---- */

typedef struct {
    const char *name, *yaml, *expected;
    bool ok;
} spec_case;

/* Base of many cases (lines 1-4): name: n / layers: [784, 112, 10] / fanout: [42, 10] / z: [98, 4] */
static const spec_case cases[] = {
    { "syntax", "layers: [1, 2\n",
      "t.yaml:2:1: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1)\n",
      false },
    { "syntax_tab", "name: n\n\tlayers: [1]\n",
      "t.yaml:2:1: error: YAML syntax error: found a tab character that violates indentation (while scanning a plain scalar at line 1)\n",
      false },
    { "not_mapping", "- 1\n- 2\n",
      "t.yaml:1:1: error: the spec: expected a mapping (key: value lines), got a list\n",
      false },
    { "scalar_top", "hello\n",
      "t.yaml:1:1: error: the spec: expected a mapping (key: value lines), got a string ('hello')\n",
      false },
    { "empty", "",
      "t.yaml:1:1: error: the spec is empty; it needs at least the keys name, layers, fanout and z\n",
      false },
    { "only_comment", "# nothing here\n",
      "t.yaml:1:1: error: the spec is empty; it needs at least the keys name, layers, fanout and z\n",
      false },
    { "two_docs", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\n---\nname: m\n",
      "t.yaml:6:1: error: only one YAML document is allowed in a spec\n",
      false },
    { "unknown_key_suggest", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nfanouts: [1]\n",
      "t.yaml:5:1: error: unknown key 'fanouts' (did you mean 'fanout'?)\n",
      false },
    { "unknown_key_list", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\ncolour: blue\n",
      "t.yaml:5:1: error: unknown key 'colour' (known keys: name, layers, fanout, z, format, input, classes, activation, learning_rate, connectivity, init, training, mode, overlap)\n",
      false },
    { "unknown_nested", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nformat: {widht: 12}\n",
      "t.yaml:5:10: error: unknown key 'widht' in format (did you mean 'width'?)\n",
      false },
    { "duplicate", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nz: [98, 4]\n",
      "t.yaml:5:1: error: duplicate key 'z' (first given at line 4, column 1); remove one\n",
      false },
    { "duplicate_nested", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nformat: {width: 12, width: 10}\n",
      "t.yaml:5:21: error: duplicate key 'format.width' (first given at line 5, column 10); remove one\n",
      false },
    { "key_not_word", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\n[a]: 1\n",
      "t.yaml:5:1: error: keys must be words, got a list\n",
      false },
    { "missing", "name: n\nlayers: [784, 112, 10]\n",
      "t.yaml:1:1: error: missing required key 'fanout'\nt.yaml:1:1: error: missing required key 'z'\n",
      false },
    { "missing_all", "mode: train\n",
      "t.yaml:1:1: error: missing required key 'name'\nt.yaml:1:1: error: missing required key 'layers'\nt.yaml:1:1: error: missing required key 'fanout'\nt.yaml:1:1: error: missing required key 'z'\n",
      false },
    { "int_got_string", "name: n\nlayers: [784, abc, 10]\nfanout: [42, 10]\nz: [98, 4]\n",
      "t.yaml:2:15: error: layers[1]: expected an integer, got a string ('abc')\n",
      false },
    { "int_got_quoted", "name: n\nlayers: [784, \"112\", 10]\nfanout: [42, 10]\nz: [98, 4]\n",
      "t.yaml:2:15: error: layers[1]: expected an integer, got the quoted string '112' (remove the quotes)\n",
      false },
    { "int_got_float", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nclasses: 2.5\n",
      "t.yaml:5:10: error: classes: expected an integer, got a float ('2.5')\n",
      false },
    { "int_got_hex", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nclasses: 0x0a\n",
      "t.yaml:5:10: error: classes: expected a decimal integer, got '0x0a' (hexadecimal and octal are not accepted)\n",
      false },
    { "int_leading_zero", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nclasses: 010\n",
      "t.yaml:5:10: error: classes: '010' has a leading zero (YAML 1.1 would read it as octal); write it without\n",
      false },
    { "int_negative", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nclasses: -3\n",
      "t.yaml:5:10: error: classes must be between 2 and 1048576, got -3\n",
      false },
    { "int_overflow", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\ninit: {seed: 18446744073709551616}\n",
      "t.yaml:5:14: error: init.seed: '18446744073709551616' is too large (must be between 0 and 18446744073709551615)\n",
      false },
    { "seed_max_ok", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\ninit: {seed: 18446744073709551615}\n",
      "",
      true },
    { "int_got_list", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nclasses: [10]\n",
      "t.yaml:5:10: error: classes: expected an integer, got a list\n",
      false },
    { "int_got_null", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nclasses:\n",
      "t.yaml:5:9: error: classes: expected an integer, got null (no value)\n",
      false },
    { "list_got_int", "name: n\nlayers: 784\nfanout: [42]\nz: [98]\n",
      "t.yaml:2:9: error: layers: expected a list of layer sizes like [784, 112, 10], got an integer ('784')\n",
      false },
    { "map_got_list", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nformat: [12, 8]\n",
      "t.yaml:5:9: error: format: expected a mapping (key: value lines), got a list\n",
      false },
    { "bool_yes", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\ntraining: {shuffle: yes}\n",
      "t.yaml:5:21: error: training.shuffle: expected true or false, got 'yes' (write true or false)\n",
      false },
    { "bool_got_int", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\ntraining: {shuffle: 1}\n",
      "t.yaml:5:21: error: training.shuffle: expected true or false, got an integer ('1')\n",
      false },
    { "overlap_int", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\noverlap: 3\n",
      "t.yaml:5:10: error: overlap: expected true or false, got an integer ('3')\n",
      false },
    { "overlap_maybe", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\noverlap: maybe\n",
      "t.yaml:5:10: error: overlap: expected true or false, got a string ('maybe')\n",
      false },
    { "overlap_yes", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\noverlap: yes\n",
      "t.yaml:5:10: error: overlap: expected true or false, got 'yes' (write true or false)\n",
      false },
    { "overlap_typo", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\noverlapp: true\n",
      "t.yaml:5:1: error: unknown key 'overlapp' (did you mean 'overlap'?)\n",
      false },
    { "enum_suggest", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nactivation: sigmod\n",
      "t.yaml:5:13: error: activation: unknown value 'sigmod' (did you mean 'sigmoid'?)\n",
      false },
    { "enum_list", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nmode: learn\n",
      "t.yaml:5:7: error: mode: unknown value 'learn' (expected one of train, infer)\n",
      false },
    { "enum_got_int", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nmode: 1\n",
      "t.yaml:5:7: error: mode: expected one of train, infer, got an integer ('1')\n",
      false },
    { "fanout_len", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10, 3]\nz: [98, 4]\n",
      "t.yaml:3:1: error: fanout has 3 values but layers describe 2 junctions\n",
      false },
    { "z_len", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98]\n",
      "t.yaml:4:1: error: z has 1 value but layers describe 2 junctions\n",
      false },
    { "act_len", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nactivation: [relu, relu, relu]\n",
      "t.yaml:5:1: error: activation has 3 values but layers describe 2 junctions (give one value for all, or one per junction)\n",
      false },
    { "layers_one", "name: n\nlayers: [10]\nfanout: []\nz: []\n",
      "t.yaml:2:9: error: layers has 1 value; a network needs 2 to 17 (input, hidden..., output)\n",
      false },
    { "layers_many", "name: n\nlayers: [2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2]\nfanout: [1]\nz: [1]\n",
      "t.yaml:2:9: error: layers has 18 values; at most 17 are allowed (16 junctions)\n",
      false },
    { "layer_zero", "name: n\nlayers: [784, 0, 10]\nfanout: [42, 10]\nz: [98, 4]\n",
      "t.yaml:2:15: error: layers[1] must be between 1 and 1048576, got 0\n",
      false },
    { "layer_big", "name: n\nlayers: [1048577, 10]\nfanout: [1]\nz: [1]\n",
      "t.yaml:2:10: error: layers[0] must be between 1 and 1048576, got 1048577\n",
      false },
    { "fanin_both", "name: n\nlayers: [100, 30]\nfanout: [4]\nz: [1]\n",
      "t.yaml:3:10: error: junction 1: fan-in p*d_out/n = 100*4/30 is not an integer; nearest valid fan-outs: 3 and 6\n",
      false },
    { "fanin_above_only", "name: n\nlayers: [12, 7]\nfanout: [3]\nz: [4]\n",
      "t.yaml:3:10: error: junction 1: fan-in p*d_out/n = 12*3/7 is not an integer; nearest valid fan-out: 7\n",
      false },
    { "dout_gt_n", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 11]\nz: [98, 4]\n",
      "t.yaml:3:14: error: junction 2: fan-out 11 is larger than n = 10 (the size of layer 2)\n",
      false },
    { "dout_zero", "name: n\nlayers: [784, 112, 10]\nfanout: [0, 10]\nz: [98, 4]\n",
      "t.yaml:3:10: error: fanout[0] must be between 1 and 1048576, got 0\n",
      false },
    { "z_not_divide_p", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [100, 4]\n",
      "t.yaml:4:5: error: junction 1: z = 100 does not divide p = 784; nearest valid z: 98\n",
      false },
    { "z_din", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [28, 4]\n",
      "t.yaml:4:5: error: junction 1: z = 28 and d_in = 294: one must divide the other; nearest valid z: 14 and 49\n",
      false },
    { "z_gt_p", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 224]\n",
      "t.yaml:4:9: error: junction 2: z = 224 is larger than p = 112 (z must divide p); nearest valid z: 112\n",
      false },
    { "z_zero", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [0, 4]\n",
      "t.yaml:4:5: error: z[0] must be between 1 and 1048576, got 0\n",
      false },
    { "z_above_din_ok", "name: n\nlayers: [784, 112, 10]\nfanout: [2, 10]\nz: [28, 2]\n",
      "",
      true },
    { "bandwidth", "name: n\nlayers: [784, 112, 10]\nfanout: [2, 10]\nz: [56, 2]\n",
      "t.yaml:4:9: error: junction 2: z = 2 banks layer 1 into 2 memories, but junction 1 writes q = z/d_in = 56/14 = 4 neurons of layer 1 per clock; z must be at least 4 here, or junction 1's z smaller\n",
      false },
    { "edges_junction", "name: n\nlayers: [1048576, 1048576]\nfanout: [512]\nz: [1]\n",
      "t.yaml:3:10: error: junction 1: 1048576 x 512 = 536870912 edges; at most 268435456 are allowed per junction\n",
      false },
    { "edges_total", "name: n\nlayers: [1048576, 1048576, 1048576, 1048576, 1048576, 1048576]\nfanout: [256, 256, 256, 256, 256]\nz: [1, 1, 1, 1, 1]\n",
      "t.yaml:3:1: error: the network has 1342177280 edges; at most 1073741824 are allowed in total\n",
      false },
    { "width_low", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nformat: {width: 7}\n",
      "t.yaml:5:17: error: format.width must be between 8 and 16, got 7\n",
      false },
    { "width_high", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nformat: {width: 17, frac: 8}\n",
      "t.yaml:5:17: error: format.width must be between 8 and 16, got 17\n",
      false },
    { "frac_high", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nformat: {width: 10, frac: 9}\n",
      "t.yaml:5:27: error: format.frac = 9 must be at most width - 2 = 8 (the cost needs 1.0 to fit)\n",
      false },
    { "frac_default_width", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nformat: {frac: 11}\n",
      "t.yaml:5:16: error: format.frac = 11 must be at most width - 2 = 10 (the cost needs 1.0 to fit)\n",
      false },
    { "frac_zero", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nformat: {frac: 0}\n",
      "t.yaml:5:16: error: format.frac must be between 1 and 14, got 0\n",
      false },
    { "bits", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\ninput: {bits: 17}\n",
      "t.yaml:5:15: error: input.bits must be between 1 and 16, got 17\n",
      false },
    { "features", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\ninput: {features: 785}\n",
      "t.yaml:5:19: error: input.features = 785 is larger than the input layer (layers[0] = 784)\n",
      false },
    { "features_zero", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\ninput: {features: 0}\n",
      "t.yaml:5:19: error: input.features must be between 1 and 1048576, got 0\n",
      false },
    { "classes_high", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nclasses: 11\n",
      "t.yaml:5:10: error: classes = 11 is larger than the output layer (layers[2] = 10)\n",
      false },
    { "classes_one", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nclasses: 1\n",
      "t.yaml:5:10: error: classes must be between 2 and 1048576, got 1\n",
      false },
    { "output_one", "name: n\nlayers: [12, 1]\nfanout: [1]\nz: [4]\n",
      "t.yaml:2:14: error: the output layer has 1 neuron; at least 2 are needed (classes)\n",
      false },
    { "shift", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nlearning_rate: {shift: 31}\n",
      "t.yaml:5:24: error: learning_rate.shift must be between 0 and 30, got 31\n",
      false },
    { "sched_order", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nlearning_rate: {schedule: [[3, 6], [3, 7], [2, 5]]}\n",
      "t.yaml:5:37: error: learning_rate.schedule[1]: epochs must be strictly increasing, but 3 follows 3\nt.yaml:5:45: error: learning_rate.schedule[2]: epochs must be strictly increasing, but 2 follows 3\n",
      false },
    { "sched_shape", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nlearning_rate: {schedule: [[3], 5, [1, 2, 3]]}\n",
      "t.yaml:5:28: error: learning_rate.schedule[0]: expected a pair [from_epoch, shift], got a list of 1 value\nt.yaml:5:33: error: learning_rate.schedule[1]: expected a pair [from_epoch, shift], got an integer ('5')\nt.yaml:5:36: error: learning_rate.schedule[2]: expected a pair [from_epoch, shift], got a list of 3 values\n",
      false },
    { "sched_values", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nlearning_rate: {schedule: [[0, 6], [2, 31]]}\n",
      "t.yaml:5:29: error: learning_rate.schedule[0][0] (from_epoch) must be between 1 and 1000000, got 0\nt.yaml:5:40: error: learning_rate.schedule[1][1] (shift) must be between 0 and 30, got 31\n",
      false },
    { "fixed_sched", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nlearning_rate: {schedule: [[3, 6]], fixed: true}\n",
      "t.yaml:5:44: error: learning_rate.fixed: true builds the shift into the hardware as one constant, so it cannot follow learning_rate.schedule; remove one of them\n",
      false },
    { "fixed_not_bool", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nlearning_rate: {fixed: 3}\n",
      "t.yaml:5:24: error: learning_rate.fixed: expected true or false, got an integer ('3')\n",
      false },
    { "sched_not_list", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nlearning_rate: {schedule: 5}\n",
      "t.yaml:5:27: error: learning_rate.schedule: expected a list of [from_epoch, shift] pairs, got an integer ('5')\n",
      false },
    { "name_upper", "name: Net\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "t.yaml:1:7: error: name 'Net' must start with a lowercase letter and contain only a-z, 0-9 and _\n",
      false },
    { "name_digit", "name: 1net\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "t.yaml:1:7: error: name '1net' must start with a lowercase letter and contain only a-z, 0-9 and _\n",
      false },
    { "name_empty", "name: \"\"\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "t.yaml:1:7: error: name '' must start with a lowercase letter and contain only a-z, 0-9 and _\n",
      false },
    { "name_long", "name: a234567890123456789012345678901234567890123456789\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "t.yaml:1:7: error: name is 49 characters long; at most 48 are allowed\n",
      false },
    { "name_48_ok", "name: a23456789012345678901234567890123456789012345678\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "",
      true },
    { "name_keyword", "name: module\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "t.yaml:1:7: error: name 'module' is a Verilog or SystemVerilog keyword; choose another (e.g. 'module_net')\n",
      false },
    { "name_sv_keyword", "name: logic\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "t.yaml:1:7: error: name 'logic' is a Verilog or SystemVerilog keyword; choose another (e.g. 'logic_net')\n",
      false },
    { "name_int", "name: 12\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "t.yaml:1:7: error: name: expected a string, got an integer ('12')\n",
      false },
    { "name_newline", "name: \"a\\nb\"\nlayers: [12, 6]\nfanout: [2]\nz: [4]\n",
      "t.yaml:1:7: error: name 'a\\x0ab' must start with a lowercase letter and contain only a-z, 0-9 and _\n",
      false },
    { "type1_ss", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nconnectivity: {family: type1, sweep_shuffle: true}\n",
      "t.yaml:5:46: error: connectivity.sweep_shuffle applies to type2 and type3 only (family is type1, whose rows are random permutations)\n",
      false },
    { "type1_sv", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nconnectivity: {family: type1, start_shuffle: true}\n",
      "t.yaml:5:46: error: connectivity.start_shuffle applies to type2 and type3 only (family is type1, whose rows are random permutations)\n",
      false },
    { "type1_false_ok", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nconnectivity: {family: type1, sweep_shuffle: false, start_shuffle: false}\n",
      "",
      true },
    { "type1_zero", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nconnectivity: {family: type1, zero_start: true}\n",
      "t.yaml:5:43: error: connectivity.zero_start applies to type2 and type3 only (family is type1, which has no start vectors)\n",
      false },
    { "type3_ss", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nconnectivity: {family: type3, sweep_shuffle: true}\n",
      "t.yaml:5:46: error: connectivity.sweep_shuffle: true contradicts type3 (type3 is type2 with one start vector for all sweeps; use family: type2)\n",
      false },
    { "zero_sv", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nconnectivity: {zero_start: true, start_shuffle: true}\n",
      "t.yaml:5:49: error: connectivity.start_shuffle: true contradicts zero_start: true (every start vector is all zeros)\n",
      false },
    { "zero_ss", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nconnectivity: {zero_start: true, sweep_shuffle: true}\n",
      "t.yaml:5:49: error: connectivity.sweep_shuffle: true has no effect with zero_start: true (every sweep starts at zero); remove it\n",
      false },
    { "family_bad", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nconnectivity: {family: type4}\n",
      "t.yaml:5:24: error: connectivity.family: unknown value 'type4' (expected one of type1, type2, type3, random)\n",
      false },
    { "infer_warn", "name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\nmode: infer\nlearning_rate: {shift: 3}\ntraining: {seed: 2}\n",
      "t.yaml:6:1: warning: learning_rate has no effect in mode infer\nt.yaml:7:1: warning: training has no effect in mode infer\n",
      true },
    { "utf8", "name: n\xff""\n",
      "t.yaml:1:8: error: invalid input: invalid leading UTF-8 octet (byte 0xff); the spec must be UTF-8 text\n",
      false },
    { "many", "name: Bad\nlayers: [100, 30, 10]\nfanout: [4, 10]\nz: [7, 2]\nformat: {width: 20}\nmode: x\nextra: 1\n",
      "t.yaml:1:7: error: name 'Bad' must start with a lowercase letter and contain only a-z, 0-9 and _\nt.yaml:5:17: error: format.width must be between 8 and 16, got 20\nt.yaml:6:7: error: mode: unknown value 'x' (expected one of train, infer)\nt.yaml:7:1: error: unknown key 'extra' (known keys: name, layers, fanout, z, format, input, classes, activation, learning_rate, connectivity, init, training, mode, overlap)\nt.yaml:3:10: error: junction 1: fan-in p*d_out/n = 100*4/30 is not an integer; nearest valid fan-outs: 3 and 6\nt.yaml:4:5: error: junction 1: z = 7 does not divide p = 100; nearest valid z: 5 and 10\n",
      false },
};

START_TEST(test_case)
{
    const spec_case *c = &cases[_i];
    sg_spec s;
    char *msgs;
    bool ok = parse(c->yaml, strlen(c->yaml), &s, &msgs, NULL);
    ck_assert_msg(!strcmp(msgs, c->expected), "case %s:\n--- expected\n%s--- got\n%s", c->name, c->expected, msgs);
    ck_assert_msg(ok == c->ok, "case %s: spec_parse returned %d", c->name, ok);
    free(msgs);
}
END_TEST

/* A spec with errors of many kinds: every one is reported, in one run, and the error count says so. */
START_TEST(test_all_errors_in_one_run)
{
    const char *y = "name: Bad\nlayers: [100, 30, 10]\nfanout: [4, 10]\nz: [7, 2]\nformat: {width: 20}\nmode: x\n"
                    "extra: 1\nconnectivity: {family: type3, sweep_shuffle: true}\n";
    sg_spec s;
    char *msgs;
    sg_diag d;
    ck_assert(!parse(y, strlen(y), &s, &msgs, &d));
    ck_assert_int_eq(d.errors, 7);
    ck_assert_int_eq(d.warnings, 0);
    int lines = 0;
    for (const char *p = msgs; *p; p++) lines += *p == '\n';
    ck_assert_int_eq(lines, 7);
    ck_assert_ptr_nonnull(strstr(msgs, "t.yaml:1:7: error: name 'Bad'"));
    ck_assert_ptr_nonnull(strstr(msgs, "t.yaml:3:10: error: junction 1: fan-in"));
    ck_assert_ptr_nonnull(strstr(msgs, "t.yaml:4:5: error: junction 1: z = 7"));
    ck_assert_ptr_nonnull(strstr(msgs, "t.yaml:5:17: error: format.width"));
    ck_assert_ptr_nonnull(strstr(msgs, "t.yaml:6:7: error: mode"));
    ck_assert_ptr_nonnull(strstr(msgs, "t.yaml:7:1: error: unknown key 'extra'"));
    ck_assert_ptr_nonnull(strstr(msgs, "t.yaml:8:46: error: connectivity.sweep_shuffle: true contradicts type3"));
    free(msgs);
}
END_TEST

/* ---- good specs ---- */

START_TEST(test_defaults)
{
    sg_spec s;
    char *msgs;
    ck_assert(parse_str("name: n\nlayers: [784, 112, 10]\nfanout: [42, 10]\nz: [98, 4]\n", &s, &msgs));
    ck_assert_str_eq(msgs, "");
    free(msgs);
    ck_assert_str_eq(s.name, "n");
    ck_assert_str_eq(s.path, "t.yaml");
    ck_assert_int_eq(s.J, 2);
    ck_assert_uint_eq(s.layers[0], 784);
    ck_assert_uint_eq(s.layers[1], 112);
    ck_assert_uint_eq(s.layers[2], 10);
    ck_assert_uint_eq(s.fanout[0], 42);
    ck_assert_uint_eq(s.fanout[1], 10);
    ck_assert_uint_eq(s.z[0], 98);
    ck_assert_uint_eq(s.z[1], 4);
    ck_assert_int_eq(s.act[0], SG_ACT_SIGMOID);
    ck_assert_int_eq(s.act[1], SG_ACT_SIGMOID);
    ck_assert_int_eq(s.width, 12);
    ck_assert_int_eq(s.frac, 8);
    ck_assert_int_eq(s.input_bits, 8);
    ck_assert_uint_eq(s.features, 784);
    ck_assert_uint_eq(s.classes, 10);
    ck_assert_int_eq(s.lr_shift, 4);
    ck_assert_int_eq(s.n_sched, 0);
    ck_assert_int_eq(s.family, SG_FAM_TYPE2);
    ck_assert(s.sweep_shuffle);
    ck_assert(s.start_shuffle);
    ck_assert(!s.memory_dither);
    ck_assert(!s.zero_start);
    ck_assert_uint_eq(s.conn_seed, 1);
    ck_assert_uint_eq(s.init_seed, 1);
    ck_assert(s.shuffle);
    ck_assert_uint_eq(s.train_seed, 1);
    ck_assert_int_eq(s.mode, SG_MODE_TRAIN);
    ck_assert(!s.overlap);
    ck_assert_uint_eq(sg_gap(&s), 1);
    ck_assert_int_eq(s.at.overlap.line, 1); /* absent: the top-level mapping */
    ck_assert_uint_eq(spec_W(&s, 1), 32928);
    ck_assert_uint_eq(spec_din(&s, 1), 294);
    ck_assert_uint_eq(spec_din(&s, 2), 112);
    /* Absent keys point at the top-level mapping; present ones at their values. */
    ck_assert_int_eq(s.at.root.line, 1);
    ck_assert_int_eq(s.at.connectivity.line, 1);
    ck_assert_int_eq(s.at.width.line, 1);
    ck_assert_int_eq(s.at.z.line, 4);
    ck_assert_int_eq(s.at.z.col, 1);
    ck_assert_int_eq(s.at.z_j[1].line, 4);
    ck_assert_int_eq(s.at.z_j[1].col, 9);
    ck_assert_int_eq(s.at.layer[2].col, 20);
    ck_assert_int_eq(s.at.fanout_j[0].col, 10);
}
END_TEST

START_TEST(test_every_field)
{
    const char *y = "# a comment first\n"
                    "name: net_2\n"
                    "layers: [1024, 64, 32]\n"
                    "fanout: [4, 16]\n"
                    "z: [128, 32]\n"
                    "format: {width: 10, frac: 7}\n"
                    "input: {bits: 6, features: 784}\n"
                    "classes: 10\n"
                    "activation: [relu, sigmoid]\n"
                    "learning_rate:\n"
                    "  shift: 3\n"
                    "  schedule: [[2, 4], [5, 6]]\n"
                    "connectivity: {family: type3, memory_dither: true, seed: 18446744073709551615}\n"
                    "init: {seed: 0}\n"
                    "training: {shuffle: false, seed: 77}\n"
                    "mode: infer\n"
                    "overlap: true\n";
    sg_spec s;
    char *msgs;
    ck_assert(parse_str(y, &s, &msgs)); /* warnings do not fail */
    ck_assert_str_eq(msgs, "t.yaml:10:1: warning: learning_rate has no effect in mode infer\n"
                           "t.yaml:15:1: warning: training has no effect in mode infer\n");
    free(msgs);
    ck_assert_str_eq(s.name, "net_2");
    ck_assert_int_eq(s.width, 10);
    ck_assert_int_eq(s.frac, 7);
    ck_assert_int_eq(s.input_bits, 6);
    ck_assert_uint_eq(s.features, 784);
    ck_assert_uint_eq(s.classes, 10);
    ck_assert_int_eq(s.act[0], SG_ACT_RELU);
    ck_assert_int_eq(s.act[1], SG_ACT_SIGMOID);
    ck_assert_int_eq(s.lr_shift, 3);
    ck_assert_int_eq(s.n_sched, 2);
    ck_assert_int_eq(s.sched[0].from_epoch, 2);
    ck_assert_int_eq(s.sched[0].shift, 4);
    ck_assert_int_eq(s.sched[1].from_epoch, 5);
    ck_assert_int_eq(s.sched[1].shift, 6);
    ck_assert_int_eq(s.sched[1].at.line, 12);
    ck_assert_int_eq(s.sched[1].at.col, 23);
    ck_assert_int_eq(spec_shift_for_epoch(&s, 1), 3);
    ck_assert_int_eq(spec_shift_for_epoch(&s, 2), 4);
    ck_assert_int_eq(spec_shift_for_epoch(&s, 4), 4);
    ck_assert_int_eq(spec_shift_for_epoch(&s, 5), 6);
    ck_assert_int_eq(spec_shift_for_epoch(&s, 1000), 6);
    ck_assert_int_eq(s.family, SG_FAM_TYPE3);
    ck_assert(!s.sweep_shuffle); /* type3 default */
    ck_assert(s.start_shuffle);
    ck_assert(s.memory_dither);
    ck_assert(!s.zero_start);
    ck_assert_uint_eq(s.conn_seed, UINT64_MAX);
    ck_assert_uint_eq(s.init_seed, 0);
    ck_assert(!s.shuffle);
    ck_assert_uint_eq(s.train_seed, 77);
    ck_assert_int_eq(s.mode, SG_MODE_INFER);
    ck_assert_int_eq(s.at.root.line, 2);
    ck_assert_int_eq(s.at.name.line, 2);
    ck_assert_int_eq(s.at.name.col, 7);
    ck_assert_int_eq(s.at.shift.line, 11);
    ck_assert_int_eq(s.at.shift.col, 10);
    ck_assert_int_eq(s.at.memory_dither.line, 13);
    ck_assert_int_eq(s.at.memory_dither.col, 46);
    ck_assert_int_eq(s.at.zero_start.line, 13); /* absent: the connectivity key */
    ck_assert_int_eq(s.at.zero_start.col, 1);
    ck_assert_int_eq(s.at.mode.line, 16);
    ck_assert(s.overlap);
    ck_assert_uint_eq(sg_gap(&s), 2);
    ck_assert_int_eq(s.at.overlap.line, 17);
    ck_assert_int_eq(s.at.overlap.col, 10);
    ck_assert_str_eq(spec_act_name(s.act[0]), "relu");
    ck_assert_str_eq(spec_family_name(s.family), "type3");
}
END_TEST

START_TEST(test_connectivity_defaults)
{
    static const struct {
        const char *conn;
        sg_family fam;
        bool ss, sv, zs;
    } t[] = {
        { "{family: type2}", SG_FAM_TYPE2, true, true, false },
        { "{family: type3}", SG_FAM_TYPE3, false, true, false },
        { "{family: type1}", SG_FAM_TYPE1, false, false, false },
        { "{family: type2, zero_start: true}", SG_FAM_TYPE2, false, false, true },
        { "{family: type3, zero_start: true}", SG_FAM_TYPE3, false, false, true },
        { "{family: type2, sweep_shuffle: false}", SG_FAM_TYPE2, false, true, false },
        { "{family: type2, start_shuffle: false}", SG_FAM_TYPE2, true, false, false },
        { "{zero_start: true, start_shuffle: false, sweep_shuffle: false}", SG_FAM_TYPE2, false, false, true },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char y[400];
        snprintf(y, sizeof y, "name: n\nlayers: [12, 6]\nfanout: [2]\nz: [4]\nconnectivity: %s\n", t[i].conn);
        sg_spec s;
        char *msgs;
        ck_assert_msg(parse_str(y, &s, &msgs), "%s: %s", t[i].conn, msgs);
        free(msgs);
        ck_assert_int_eq(s.family, t[i].fam);
        ck_assert_msg(s.sweep_shuffle == t[i].ss, "%s: sweep_shuffle", t[i].conn);
        ck_assert_msg(s.start_shuffle == t[i].sv, "%s: start_shuffle", t[i].conn);
        ck_assert_msg(s.zero_start == t[i].zs, "%s: zero_start", t[i].conn);
    }
}
END_TEST

START_TEST(test_values)
{
    sg_spec s;
    char *msgs;
    /* Block lists, quoted keys, one activation for all, TRUE/False spellings, explicit +, z < d_in. */
    const char *y = "\"name\": n\nlayers:\n  - 784\n  - 112\n  - 10\nfanout: [+42, 10]\nz: [49, 8]\n"
                    "activation: relu\ntraining: {shuffle: False}\nconnectivity: {memory_dither: TRUE}\noverlap: false\n";
    ck_assert(parse_str(y, &s, &msgs));
    ck_assert_str_eq(msgs, "");
    free(msgs);
    ck_assert_uint_eq(s.layers[2], 10);
    ck_assert_int_eq(s.at.layer[1].line, 4);
    ck_assert_int_eq(s.at.layer[1].col, 5);
    ck_assert_uint_eq(s.fanout[0], 42);
    ck_assert_int_eq(s.act[0], SG_ACT_RELU);
    ck_assert_int_eq(s.act[1], SG_ACT_RELU);
    ck_assert(!s.shuffle);
    ck_assert(s.memory_dither);
    ck_assert(!s.overlap);
    ck_assert_int_eq(s.at.overlap.line, 11);
}
END_TEST

START_TEST(test_buffer_not_terminated)
{
    /* spec_parse reads exactly len bytes: the garbage after them is not part of the spec. */
    const char *y = "name: n\nlayers: [12, 6]\nfanout: [2]\nz: [4]\nGARBAGE: [";
    sg_spec s;
    char *msgs;
    ck_assert(parse(y, strlen(y) - 10, &s, &msgs, NULL));
    ck_assert_str_eq(msgs, "");
    free(msgs);
    /* Same bytes, same hash; one byte more, another hash. */
    sg_spec s2;
    ck_assert(parse(y, strlen(y) - 10, &s2, &msgs, NULL));
    free(msgs);
    ck_assert_uint_eq(s.hash, s2.hash);
    ck_assert_uint_eq(s.hash, hash64(y, strlen(y) - 10, HASH64_INIT));
}
END_TEST

START_TEST(test_diag_file_default)
{
    /* With no file in the diag, spec_parse uses the path, so locations are printed. */
    size_t n;
    char *msgs;
    FILE *f = open_memstream(&msgs, &n);
    sg_diag d;
    diag_init(&d, NULL);
    d.out = f;
    sg_spec s;
    ck_assert(!spec_parse("x.yaml", "name: N\n", 8, &s, &d));
    fclose(f);
    ck_assert_str_eq(msgs, "x.yaml:1:7: error: name 'N' must start with a lowercase letter and contain only a-z, 0-9 "
                           "and _\nx.yaml:1:1: error: missing required key 'layers'\nx.yaml:1:1: error: missing "
                           "required key 'fanout'\nx.yaml:1:1: error: missing required key 'z'\n");
    free(msgs);
}
END_TEST

START_TEST(test_load_missing_file)
{
    size_t n;
    char *msgs;
    FILE *f = open_memstream(&msgs, &n);
    sg_diag d;
    diag_init(&d, "no/such/spec.yaml");
    d.out = f;
    sg_spec s;
    ck_assert(!spec_load("no/such/spec.yaml", &s, &d));
    fclose(f);
    ck_assert_str_eq(msgs, "no/such/spec.yaml: error: cannot read the spec: No such file or directory\n");
    free(msgs);
    f = open_memstream(&msgs, &n);
    diag_init(&d, ".");
    d.out = f;
    ck_assert(!spec_load(".", &s, &d));
    fclose(f);
    ck_assert_str_eq(msgs, ".: error: cannot read the spec: it is a directory\n");
    free(msgs);
}
END_TEST

/* Every example in examples/ loads without errors or warnings. */
START_TEST(test_examples)
{
    const char *dir = getenv("SG_EXAMPLES") ? getenv("SG_EXAMPLES") : "examples";
    DIR *dp = opendir(dir);
    ck_assert_msg(dp != NULL, "cannot open %s (run from the repository root or set SG_EXAMPLES)", dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml")) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t mn;
        char *msgs;
        FILE *f = open_memstream(&msgs, &mn);
        sg_diag d;
        diag_init(&d, path);
        d.out = f;
        sg_spec s;
        bool ok = spec_load(path, &s, &d);
        fclose(f);
        ck_assert_msg(ok && !msgs[0], "%s:\n%s", path, msgs);
        /* The file name is the spec's name. */
        ck_assert_msg(!strncmp(e->d_name, s.name, len - 5) && strlen(s.name) == len - 5, "%s: name %s", path,
                      s.name);
        free(msgs);
        n++;
    }
    closedir(dp);
    ck_assert_int_ge(n, 7);
}
END_TEST

START_TEST(test_smallest_z)
{
    ck_assert_uint_eq(spec_smallest_z(784, 294, 1), 1);
    ck_assert_uint_eq(spec_smallest_z(784, 294, 15), 49);
    ck_assert_uint_eq(spec_smallest_z(784, 294, 99), 0); /* 98 is the largest valid */
    ck_assert_uint_eq(spec_smallest_z(784, 14, 15), 28);
    ck_assert_uint_eq(spec_smallest_z(100, 0, 6), 10);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("spec");
    TCase *tc = tcase_create("spec");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_case, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, test_all_errors_in_one_run);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_every_field);
    tcase_add_test(tc, test_connectivity_defaults);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_buffer_not_terminated);
    tcase_add_test(tc, test_diag_file_default);
    tcase_add_test(tc, test_load_missing_file);
    tcase_add_test(tc, test_examples);
    tcase_add_test(tc, test_smallest_z);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
