`default_nettype none
// sg_sink: consumes outputs of a generic template that a particular network does not use (for example the BP
// outputs of junction 1), so that generated top levels stay lint-clean without waivers. Synthesis removes it.
module sg_sink #(
    // bits consumed
    parameter integer WIDTH = 1
) (
    // (intentionally unused: this module exists to consume signals)
    /* verilator lint_off UNUSEDSIGNAL */
    input wire [WIDTH-1:0] in
    /* verilator lint_on UNUSEDSIGNAL */
);
endmodule
`default_nettype wire
