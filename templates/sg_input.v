`default_nettype none
// sg_input: converts one input beat of Z unsigned B-bit values to stored activations
// a = rnd(x * 2^F, B) (docs/arithmetic.md section 3); never saturates (a <= 2^F <= MAX).
module sg_input #(
    // values per beat
    parameter integer Z = 4,
    // input bits B
    parameter integer B = 8,
    // value width w and fraction bits F
    parameter integer W = 12,
    parameter integer F = 8
) (
    input  wire [Z*B-1:0] x,
    output wire [Z*W-1:0] a
);
    localparam integer XW = B + F + 1;
    initial begin
        if (Z < 1 || B < 1 || B > 16 || W < 8 || W > 16 || F < 1 || F > W - 2) begin
            $display("sg_input: illegal parameters Z=%0d B=%0d W=%0d F=%0d", Z, B, W, F);
            $finish;
        end
    end
    genvar k;
    generate
        for (k = 0; k < Z; k = k + 1) begin : g_val
            wire [XW-1:0] sc = {1'b0, x[k*B +: B], {F{1'b0}}} + ({{(XW-1){1'b0}}, 1'b1} << (B - 1));
            wire [XW-1:0] r = sc >> B;
            // r <= 2^F fits in F + 1 <= W - 1 bits; the upper bits are zero
            /* verilator lint_off UNUSEDSIGNAL */
            wire [XW-1:0] r_all = r;
            /* verilator lint_on UNUSEDSIGNAL */
            assign a[k*W +: W] = {{(W-F-1){1'b0}}, r_all[F:0]};
        end
    endgenerate
endmodule
`default_nettype wire
