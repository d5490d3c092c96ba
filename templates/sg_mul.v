`default_nettype none
// sg_mul: registered signed product p = a * b (latency 1 clock, gated by ce) of an AW-bit and a BW-bit two's
// complement operand. DSP = 1 writes the product as `*`, which Yosys maps to a DSP block (SB_MAC16, MULT18X18D,
// DSP48E1) together with the output register; DSP = 0 builds it from logic Yosys cannot turn into a DSP block, so
// the generator decides which products use the device's DSP blocks (`sparsegen rtl --dsp N`).
// The logic multiplier: rows x_i = b[i] ? a : 0 (weight 2^i) for the BW - 1 low bits of b, summed by a balanced
// tree of two-operand adders whose widths grow only as far as the exact sum needs (a node covering n rows is
// AW + n bits wide; the low bits of the shifted-out child pass through without an adder), then the sign row
// (b[BW-1] weighs -2^(BW-1)) subtracted. Every adder is a plain two-operand sum, which the tools map to carry
// chains (a single multi-operand sum would be turned into a full-adder network several times larger). An operand
// whose sign bit is a constant 0 (an unsigned value) makes the last subtraction vanish.
module sg_mul #(
    parameter integer AW = 8,
    parameter integer BW = 8,
    parameter integer DSP = 1
) (
    input  wire                    clk,
    input  wire                    ce,
    input  wire signed [AW-1:0]    a,
    input  wire signed [BW-1:0]    b,
    output reg  signed [AW+BW-1:0] p
);
    localparam integer PW = AW + BW;
    initial begin
        if (AW < 1 || BW < 2 || (DSP != 0 && DSP != 1)) begin
            $display("sg_mul: illegal parameters AW=%0d BW=%0d DSP=%0d", AW, BW, DSP);
            $finish;
        end
    end
    generate
        if (DSP != 0) begin : g_dsp
            always @(posedge clk) if (ce) p <= a * b;
        end else begin : g_logic
            // R rows (the low BW - 1 bits of b); LV levels; node (l, j) is the wire g_lvl[l].g_node[j].v covering rows
            // j 2^l .. min((j + 1) 2^l, R) - 1, sign-extended to PW bits (one wire per node: with shared vectors a
            // simulator re-evaluates every node of a level for a change in any, which grows exponentially with depth)
            localparam integer R = BW - 1;
            localparam integer LV = (R > 1) ? $clog2(R) : 0;
            genvar i, l;
            for (l = 0; l <= LV; l = l + 1) begin : g_lvl
                localparam integer S = (l > 0) ? 1 << (l - 1) : 0;  // rows covered by a left child
                localparam integer NN = (R + (1 << l) - 1) >> l;   // nodes at this level
                localparam integer NP = (l > 0) ? (R + S - 1) / S : 0;  // nodes at the level below
                for (i = 0; i < NN; i = i + 1) begin : g_node
                    wire [PW-1:0] v;
                    if (l == 0) begin : g_row
                        wire signed [AW-1:0] x = b[i] ? a : {AW{1'b0}};
                        assign v = {{(PW-AW){x[AW-1]}}, x};
                    end else begin : g_sum
                        localparam integer ROWS = ((i + 1) << l) <= R ? (1 << l) : R - (i << l);
                        localparam integer NW = (AW + ROWS < PW) ? AW + ROWS : PW;
                        localparam integer HW = NW - S;
                        /* verilator lint_off UNUSEDSIGNAL */
                        // (a node's top bits are its sign extension)
                        wire [PW-1:0] lc = g_lvl[l-1].g_node[2*i].v;
                        /* verilator lint_on UNUSEDSIGNAL */
                        if (2 * i + 1 < NP) begin : g_add
                            /* verilator lint_off UNUSEDSIGNAL */
                            wire [PW-1:0] rc = g_lvl[l-1].g_node[2*i+1].v;
                            /* verilator lint_on UNUSEDSIGNAL */
                            wire [HW-1:0] hi = lc[S +: HW] + rc[HW-1:0];
                            assign v = {{(PW-NW){hi[HW-1]}}, hi, lc[S-1:0]};
                        end else begin : g_pass
                            assign v = lc;
                        end
                    end
                end
            end
            /* verilator lint_off UNUSEDSIGNAL */
            wire [PW-1:0] top = g_lvl[LV].g_node[0].v;
            /* verilator lint_on UNUSEDSIGNAL */
            // the sign row: p = top - (b[R] ? a : 0) * 2^R; the low R bits pass through
            wire signed [AW-1:0] xs = b[R] ? a : {AW{1'b0}};
            wire signed [AW:0] hs = $signed(top[R +: AW+1]) - $signed({xs[AW-1], xs});
            always @(posedge clk) if (ce) p <= {hs, top[R-1:0]};
        end
    endgenerate
endmodule
`default_nettype wire
