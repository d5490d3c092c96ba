`default_nettype none
// sg_mul: registered signed product p = a * b (latency LAT = 1 or 2 clocks, gated by ce) of an AW-bit and a BW-bit
// two's complement operand. DSP = 1 writes the product as `*`, which Yosys maps to a DSP block (SB_MAC16,
// MULT18X18D, DSP48E1) together with the output register (LAT = 2: the operands registered first, the block's
// input registers); DSP = 0 builds it from logic Yosys cannot turn into a DSP block, so the generator decides which
// products use the device's DSP blocks (`sparsegen rtl --dsp N`). LAT = 2 puts a register level inside the logic
// multiplier's adder tree (after level LC, about half of its carry chains), so no clock has more than about half
// of the multiplier.
// The logic multiplier: rows x_i = b[i] ? a : 0 (weight 2^i) for the BW - 1 low bits of b, summed by a balanced
// tree of two-operand adders whose widths grow only as far as the exact sum needs (a node covering n rows is
// AW + n bits wide; the low bits of the shifted-out child pass through without an adder), then the sign row
// (b[BW-1] weighs -2^(BW-1)) subtracted. Every adder is a plain two-operand sum, which the tools map to carry
// chains (a single multi-operand sum would be turned into a full-adder network several times larger). An operand
// whose sign bit is a constant 0 (an unsigned value) makes the last subtraction vanish.
module sg_mul #(
    parameter integer AW = 8,
    parameter integer BW = 8,
    parameter integer DSP = 1,
    parameter integer LAT = 1
) (
    input  wire                    clk,
    input  wire                    ce,
    input  wire signed [AW-1:0]    a,
    input  wire signed [BW-1:0]    b,
    output reg  signed [AW+BW-1:0] p
);
    localparam integer PW = AW + BW;
    initial begin
        if (AW < 1 || BW < 2 || (DSP != 0 && DSP != 1) || (LAT != 1 && LAT != 2)) begin
            $display("sg_mul: illegal parameters AW=%0d BW=%0d DSP=%0d LAT=%0d", AW, BW, DSP, LAT);
            $finish;
        end
    end
    generate
        if (DSP != 0 && LAT == 1) begin : g_dsp
            always @(posedge clk) if (ce) p <= a * b;
        end else if (DSP != 0) begin : g_dsp2
            reg signed [AW-1:0] ar;
            reg signed [BW-1:0] br;
            always @(posedge clk) begin
                if (ce) begin
                    ar <= a;
                    br <= b;
                    p <= ar * br;
                end
            end
        end else begin : g_logic
            // R rows (the low BW - 1 bits of b); LV levels; node (l, j) is the wire g_lvl[l].g_node[j].v covering rows
            // j 2^l .. min((j + 1) 2^l, R) - 1, sign-extended to PW bits (one wire per node: with shared vectors a
            // simulator re-evaluates every node of a level for a change in any, which grows exponentially with depth)
            localparam integer R = BW - 1;
            localparam integer LV = (R > 1) ? $clog2(R) : 0;
            // LAT = 2: the nodes of level LC are registered (with the sign row's operand): adder levels 1 .. LC
            // before the register, LC + 1 .. LV and the sign row's subtraction after it
            localparam integer LC = (LAT == 2) ? (LV + 1) / 2 : -1;
            genvar i, l;
            for (l = 0; l <= LV; l = l + 1) begin : g_lvl
                localparam integer S = (l > 0) ? 1 << (l - 1) : 0;  // rows covered by a left child
                localparam integer NN = (R + (1 << l) - 1) >> l;   // nodes at this level
                localparam integer NP = (l > 0) ? (R + S - 1) / S : 0;  // nodes at the level below
                for (i = 0; i < NN; i = i + 1) begin : g_node
                    wire [PW-1:0] v;
                    wire [PW-1:0] vc;  // the node's value as computed (v, or the register of it at level LC)
                    if (l == LC) begin : g_reg
                        reg [PW-1:0] vr;
                        always @(posedge clk) if (ce) vr <= vc;
                        assign v = vr;
                    end else begin : g_comb
                        assign v = vc;
                    end
                    if (l == 0) begin : g_row
                        wire signed [AW-1:0] x = b[i] ? a : {AW{1'b0}};
                        assign vc = {{(PW-AW){x[AW-1]}}, x};
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
                            wire [HW-1:0] hi;
`ifdef SG_ECP5
                            if (l == 1) begin : g_pair
                                // ECP5 (the FPGA flow reads the sources with -DSG_ECP5): the two rows' AND gates
                                // go into the carry chain's LUTs. Half h >= 1 of the chain computes bit h - 1 of
                                // x / 2 + y with x = b[2i] ? a : 0 and y = b[2i+1] ? a : 0 (sign-extended): its
                                // LUT4 is the propagate (A & B) ^ (C & D) with A, B = a[h], b[2i] and C, D =
                                // a[h-1], b[2i+1], and the carry generate (the LUT's C = D = 0 quarter) is A & B,
                                // which equals both addends' bit whenever the propagate is 0. Half 0 starts the
                                // chain with carry 0 whatever the chain's carry input (a LUT of constant 0, so
                                // its carry-in stays unconnected and nextpnr adds no feed-in cell); the last
                                // carry output is left open (no feed-out cell).
                                localparam integer NC = (HW + 2) / 2;  // CCU2C cells for HW + 1 halves
                                wire [2*NC-1:0] s;
                                wire [NC:0] cy;
                                genvar c;
                                assign cy[0] = 1'b0;  // (unconnected below: half 0 ignores it)
                                for (c = 0; c < NC; c = c + 1) begin : g_cc
                                    // half h = 2c + e covers bit h - 1; operands clamp to a's sign bit
                                    localparam integer H0 = 2 * c, H1 = 2 * c + 1;
                                    localparam integer X0 = (H0 < AW) ? H0 : AW - 1, Y0 = (H0 - 1 < AW) ? H0 - 1 : AW - 1;
                                    localparam integer X1 = (H1 < AW) ? H1 : AW - 1, Y1 = (H1 - 1 < AW) ? H1 - 1 : AW - 1;
                                    localparam [15:0] PAIR = 16'h7888, ZERO = 16'h0000;
                                    wire co;
                                    if (c == 0) begin : g_first
                                        CCU2C #(.INIT0(ZERO), .INIT1(PAIR), .INJECT1_0("NO"), .INJECT1_1("NO")) cc (
                                            .CIN(), .A0(1'b0), .B0(1'b0), .C0(1'b0), .D0(1'b0),
                                            .A1(a[X1]), .B1(b[2*i]), .C1(a[Y1]), .D1(b[2*i+1]),
                                            .S0(s[0]), .S1(s[1]), .COUT(co));
                                    end else if (H1 <= HW) begin : g_mid
                                        CCU2C #(.INIT0(PAIR), .INIT1(PAIR), .INJECT1_0("NO"), .INJECT1_1("NO")) cc (
                                            .CIN(cy[c]), .A0(a[X0]), .B0(b[2*i]), .C0(a[Y0]), .D0(b[2*i+1]),
                                            .A1(a[X1]), .B1(b[2*i]), .C1(a[Y1]), .D1(b[2*i+1]),
                                            .S0(s[2*c]), .S1(s[2*c+1]), .COUT(co));
                                    end else begin : g_last
                                        CCU2C #(.INIT0(PAIR), .INIT1(ZERO), .INJECT1_0("NO"), .INJECT1_1("NO")) cc (
                                            .CIN(cy[c]), .A0(a[X0]), .B0(b[2*i]), .C0(a[Y0]), .D0(b[2*i+1]),
                                            .A1(1'b0), .B1(1'b0), .C1(1'b0), .D1(1'b0),
                                            .S0(s[2*c]), .S1(s[2*c+1]), .COUT(co));
                                    end
                                    if (c + 1 < NC) begin : g_cy
                                        assign cy[c+1] = co;
                                    end
                                end
                                assign hi = s[HW:1];
                            end else begin : g_plain
                                assign hi = lc[S +: HW] + rc[HW-1:0];
                            end
`else
                            assign hi = lc[S +: HW] + rc[HW-1:0];
`endif
                            assign vc = {{(PW-NW){hi[HW-1]}}, hi, lc[S-1:0]};
                        end else begin : g_pass
                            assign vc = lc;
                        end
                    end
                end
            end
            /* verilator lint_off UNUSEDSIGNAL */
            wire [PW-1:0] top = g_lvl[LV].g_node[0].v;
            /* verilator lint_on UNUSEDSIGNAL */
            // the sign row: p = top - (b[R] ? a : 0) * 2^R; the low R bits pass through
            wire signed [AW-1:0] xs0 = b[R] ? a : {AW{1'b0}};
            wire signed [AW-1:0] xs;
            if (LAT == 2) begin : g_xs_reg
                reg signed [AW-1:0] xsr;
                always @(posedge clk) if (ce) xsr <= xs0;
                assign xs = xsr;
            end else begin : g_xs
                assign xs = xs0;
            end
            wire signed [AW:0] hs = $signed(top[R +: AW+1]) - $signed({xs[AW-1], xs});
            always @(posedge clk) if (ce) p <= {hs, top[R-1:0]};
        end
    endgenerate
endmodule
`default_nettype wire
