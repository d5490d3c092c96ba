`default_nettype none
// sg_junction: one junction j of the network. In every junction cycle it walks its W = C * Z edges in natural
// order, Z lanes per clock (lane k of clock c is edge c * Z + k), and does at once, sharing one read of each weight
// row: the FF of the sample in its FF slot, and the BP (j >= 2) and UP of the sample in its BP/UP slot.
// The arithmetic is docs/arithmetic.md exactly; the stages are described in docs/hardware.md:
//   S0 issue (edge counter; ROM, weight, bias, derivative and right-delta reads)
//   S1 left row per bank (pattern tables) -> left memory reads; right delta = mul(a', sat(g)) or output delta
//   S2 per lane: FF product, BP product, updated weight; per neuron: updated bias
//   S3 weight/bias write-back; BP contributions to the left delta memory; adder tree
//   S4 accumulator (over CPN clocks when Z < DIN); S5 bias + saturate = s; activation table read
//   S6 activation a, derivative a', output delta; S7 writes (right layer, derivative, output delta, result)
module sg_junction #(
    // junction number j (1-based), for messages
    parameter integer JIDX = 1,
    // value width w and fraction bits F
    parameter integer W = 12,
    parameter integer F = 8,
    // rows per left bank (p / z)
    parameter integer P = 2,
    // lanes z
    parameter integer Z = 4,
    // fan-in and fan-out
    parameter integer DIN = 2,
    parameter integer DOUT = 2,
    // right neurons n
    parameter integer N = 8,
    // edge clocks per cycle C = W / z
    parameter integer C = 4,
    // right neurons completed per clock q = max(1, z / d_in), clocks per right neuron max(1, d_in / z)
    parameter integer Q = 2,
    parameter integer CPN = 1,
    // activation: 0 sigmoid, 1 relu
    parameter integer ACT = 0,
    // sigmoid table: index shift R and index bits T (docs/arithmetic.md section 5)
    parameter integer SIG_R = 2,
    parameter integer SIG_T = 9,
    // pattern tables: 1 = one row table entry per clock (type1), 2 = one start vector per sweep (type2, type3)
    parameter integer FAMILY = 2,
    // memory dither: 1 = lanes are mapped to banks by a permutation per sweep
    parameter integer MD = 0,
    // 1 = training (BP and UP), 0 = inference
    parameter integer TRAIN = 1,
    // 1 = the last junction (output layer: output deltas and the result stream)
    parameter integer LAST = 0,
    // classes (prediction over the first CLASSES outputs)
    parameter integer CLASSES = 4,
    // copies of the derivative memory 2(J - j) + 2 (not last, training)
    parameter integer DCOPIES = 4,
    // width of the right layer's delta sums (w + clog2(d_out(j+1) + 1)); not last, training
    parameter integer RBPW = 14,
    // latency budget SG_LAT_BASE + clog2(min(z, d_in)) from gen/plan.h; must cover the internal depth (7)
    parameter integer LAT = 8,
    // row bits max(1, clog2(P)), lane bits max(1, clog2(Z)), label bits max(1, clog2(CLASSES)), clock bits
    // max(1, clog2(C))
    parameter integer RB = 1,
    parameter integer LB = 2,
    parameter integer LBW = 2,
    parameter integer CB = 2,
    // RAM style for sg_ram (1 block, 2 distributed, 0 auto)
    parameter integer RAM_STYLE = 1,
    // $readmemh files: weights (C words of Z * W bits), biases (N / Q words of Q * W bits), sigmoid table,
    // row table (FAMILY 2: DOUT words of Z * RB bits, start row per bank; FAMILY 1: C words, row per bank),
    // bank permutation and its inverse (MD: DOUT words of Z * LB bits)
    parameter W_INIT = "",
    parameter B_INIT = "",
    parameter SIG_INIT = "",
    parameter ROW_INIT = "",
    parameter BANK_INIT = "",
    parameter BINV_INIT = ""
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              ce,
    // control (sg_ctrl); the slot inputs are constant during a cycle
    input  wire              cyc_start,
    input  wire              ff_on,      // the FF slot holds a sample
    input  wire              bu_on,      // the BP/UP slot holds a training sample
    input  wire [4:0]        bu_shift,   // its learning-rate shift
    input  wire [LBW-1:0]    ff_label,   // label of the FF sample (last junction)
    // left layer: interleaved reads (one row per bank), data one clock later
    output wire              lrd_en,
    output wire [Z*RB-1:0]   lrd_row,
    input  wire [Z*W-1:0]    lff_data,   // FF copy
    input  wire [Z*W-1:0]    lup_data,   // UP copy
    // left layer: BP contributions to the delta sums (j >= 2, training)
    output wire              bp_en,
    output wire              bp_first,
    output wire [Z*RB-1:0]   bp_row,
    output wire [Z*W-1:0]    bp_val,
    // right layer: natural-order activation writes (not last)
    output wire              ro_en,
    output wire [Q*W-1:0]    ro_act,
    // right layer: natural-order delta-sum reads (not last, training), data one clock after rd_en
    output wire              rd_en,
    output wire              rd_adv,
    /* verilator lint_off UNUSEDSIGNAL */
    // (rd_data is unused by the last junction and in inference)
    input  wire [Q*RBPW-1:0] rd_data,
    /* verilator lint_on UNUSEDSIGNAL */
    // result stream beats (last junction)
    output wire              res_valid,
    output wire              res_last,
    output wire [Q*W-1:0]    res_data,
    output wire [LBW-1:0]    res_pred,
    // memory port (only while the pipeline is idle): weight (row, lane) or bias (row, bank); data 2 clocks later
    input  wire              mm_en,
    input  wire              mm_we,
    input  wire              mm_bias,
    input  wire [CB-1:0]     mm_row,
    input  wire [LB-1:0]     mm_lane,
    input  wire [W-1:0]      mm_wdata,
    output reg  [W-1:0]      mm_rdata
);
    localparam integer HAS_BP = (TRAIN != 0 && JIDX >= 2) ? 1 : 0;
    localparam integer GS = (Z < DIN) ? Z : DIN;           // lanes per right neuron in one clock
    localparam integer RROWS = N / Q;                      // rows of the right-side (natural) memories
    localparam integer RRB = (RROWS > 1) ? $clog2(RROWS) : 1;
    localparam integer SB = (DOUT > 1) ? $clog2(DOUT) : 1;
    localparam integer KB = (CPN > 1) ? $clog2(CPN) : 1;
    localparam integer NB = $clog2(N + 1);
    localparam integer ACCW = W + $clog2(DIN + 1);
    localparam integer XW = 2 * W + 34;
    localparam integer UW = 2 * W + 2;
    localparam integer TWOW_I = 2 * W;
    localparam integer DW = (ACT == 1) ? 1 : W;
    localparam integer DEPTH = 7;                           // clocks from issue to the last write
    localparam integer DAW = (DCOPIES * RROWS > 1) ? $clog2(DCOPIES * RROWS) : 1;
    localparam integer OAW = $clog2(2 * RROWS);
    localparam integer C_LAST_I = C - 1;
    localparam integer P_LAST_I = P - 1;
    localparam integer P_I = P;
    localparam integer CPN_LAST_I = CPN - 1;
    localparam integer Q_I = Q;
    localparam integer N_I = N;
    localparam integer CLASSES_I = CLASSES;
    localparam integer F_I = F;
    localparam integer RROWS_I = RROWS;
    localparam integer DLAST_I = (DCOPIES - 1) * RROWS;

    initial begin
        if (W < 8 || W > 16 || F < 1 || F > W - 2 || Z < 1 || P < 1 || DIN < 1 || DOUT < 1 || N < 1 ||
            C * Z != N * DIN || C != P * DOUT || Q != ((Z > DIN) ? Z / DIN : 1) ||
            CPN != ((DIN > Z) ? DIN / Z : 1) || (Z >= DIN && Z % DIN != 0) || (Z < DIN && DIN % Z != 0) ||
            N % Q != 0 || (FAMILY != 1 && FAMILY != 2) || (MD != 0 && MD != 1) || LAT < DEPTH ||
            RB != ((P > 1) ? $clog2(P) : 1) || LB != ((Z > 1) ? $clog2(Z) : 1) ||
            CB != ((C > 1) ? $clog2(C) : 1) || LBW != ((CLASSES > 1) ? $clog2(CLASSES) : 1) ||
            CLASSES < 1 || (LAST != 0 && CLASSES > N) || (LAST == 0 && TRAIN != 0 && RBPW < W) || DCOPIES < 2 ||
            SIG_T > W || SIG_T < 2) begin
            $display("sg_junction %0d: illegal parameters (W=%0d F=%0d P=%0d Z=%0d DIN=%0d DOUT=%0d N=%0d C=%0d Q=%0d CPN=%0d LAT=%0d)",
                     JIDX, W, F, P, Z, DIN, DOUT, N, C, Q, CPN, LAT);
            $finish;
        end
    end

    // ---- arithmetic (docs/arithmetic.md section 2), on XW-bit intermediates that hold every value exactly ----
    function signed [W-1:0] f_sat;
        input signed [XW-1:0] v;
        begin
            if (v > $signed({{(XW-W+1){1'b0}}, {(W-1){1'b1}}})) f_sat = {1'b0, {(W-1){1'b1}}};
            else if (v < $signed({{(XW-W+1){1'b1}}, {(W-1){1'b0}}})) f_sat = {1'b1, {(W-1){1'b0}}};
            else f_sat = v[W-1:0];
        end
    endfunction
    // rnd(v, s) = floor((v + 2^(s-1)) / 2^s), rnd(v, 0) = v
    function signed [XW-1:0] f_rnd;
        input signed [XW-1:0] v;
        input [6:0] s;
        reg [XW-1:0] half;
        begin
            half = (s == 7'd0) ? {XW{1'b0}} : ({{(XW-1){1'b0}}, 1'b1} << (s - 7'd1));
            f_rnd = (v + $signed(half)) >>> s;
        end
    endfunction
    function signed [XW-1:0] f_ext;
        input signed [2*W-1:0] v;
        begin
            f_ext = {{(XW-2*W){v[2*W-1]}}, v};
        end
    endfunction
    // mul(a, b) = sat(rnd(a b, F))
    function signed [W-1:0] f_mul;
        input signed [W-1:0] a;
        input signed [W-1:0] b;
        reg signed [2*W-1:0] p;
        begin
            p = a * b;
            f_mul = f_sat(f_rnd(f_ext(p), F_I[6:0]));
        end
    endfunction
    // sat(w + rnd(-d a, F + k)). |d a| <= 2^(2W-2), so rnd(-d a, s) = 0 for every s >= 2W: the shift is clamped
    // there and the intermediate needs only UW = 2W + 2 bits (one small barrel shifter per lane).
    function signed [W-1:0] f_upd;
        input signed [W-1:0] w;
        input signed [W-1:0] d;
        input signed [W-1:0] a;
        input [4:0] k;
        reg signed [2*W-1:0] p;
        reg signed [UW-1:0] np, r;
        reg [6:0] sh;
        reg [UW-1:0] half;
        begin
            p = d * a;
            np = -{{(UW-2*W){p[2*W-1]}}, p};
            sh = F_I[6:0] + {2'b00, k};
            if (sh >= TWOW_I[6:0]) begin
                r = {UW{1'b0}};
            end else begin
                half = {{(UW-1){1'b0}}, 1'b1} << (sh - 7'd1);
                r = (np + $signed(half)) >>> sh;
            end
            f_upd = f_sat({{(XW-W){w[W-1]}}, w} + {{(XW-UW){r[UW-1]}}, r});
        end
    endfunction
    // sat(b + rnd(-d, k))
    function signed [W-1:0] f_bupd;
        input signed [W-1:0] b;
        input signed [W-1:0] d;
        input [4:0] k;
        begin
            f_bupd = f_sat($signed({{(XW-W){b[W-1]}}, b}) + f_rnd(-$signed({{(XW-W){d[W-1]}}, d}), {2'b00, k}));
        end
    endfunction

    localparam [W-1:0] ONE = {{(W-1){1'b0}}, 1'b1} << F;

    // late-stage registers, declared here because the right-side memories below use them
    reg           v7;
    reg [NB-1:0]  r07;
    reg [Q*W-1:0] a7;
    // rr7, o7 (output deltas) and d7 (derivatives) feed the right-side memories, which exist only in training
    // (o7: last junction, d7: the others); unused otherwise
    /* verilator lint_off UNUSEDSIGNAL */
    reg [RRB-1:0] rr7;
    reg [Q*W-1:0] o7;
    reg [Q*DW-1:0] d7;
    /* verilator lint_on UNUSEDSIGNAL */

    // ================= S0: issue =================
    reg          v0;
    reg [CB-1:0] c0;
    reg [SB-1:0] s0;
    reg [RB-1:0] u0;
    reg [KB-1:0] k0;
    reg [RRB-1:0] rr0;
    reg [NB-1:0] r00;
    wire first0 = (k0 == {KB{1'b0}});
    wire last0 = (k0 == CPN_LAST_I[KB-1:0]);
    always @(posedge clk) begin
        if (rst) begin
            v0 <= 1'b0;
        end else if (ce) begin
            if (cyc_start) v0 <= 1'b1;
            else if (v0 && c0 == C_LAST_I[CB-1:0]) v0 <= 1'b0;
        end
    end
    always @(posedge clk) begin
        if (ce) begin
            if (cyc_start) begin
                c0 <= {CB{1'b0}};
                s0 <= {SB{1'b0}};
                u0 <= {RB{1'b0}};
                k0 <= {KB{1'b0}};
                rr0 <= {RRB{1'b0}};
                r00 <= {NB{1'b0}};
            end else if (v0) begin
                c0 <= c0 + 1'b1;
                if (u0 == P_LAST_I[RB-1:0]) begin
                    u0 <= {RB{1'b0}};
                    s0 <= s0 + 1'b1;
                end else begin
                    u0 <= u0 + 1'b1;
                end
                if (last0) begin
                    k0 <= {KB{1'b0}};
                    rr0 <= rr0 + 1'b1;
                    r00 <= r00 + Q_I[NB-1:0];
                end else begin
                    k0 <= k0 + 1'b1;
                end
            end
        end
    end

    // ---- memories read in S0 ----
    wire [Z*RB-1:0] rowq;
    generate
        if (FAMILY == 1) begin : g_rows
            sg_rom #(.WIDTH(Z*RB), .DEPTH(C), .AW(CB), .INIT_FILE(ROW_INIT)) rows_rom (
                .clk(clk), .ce(ce), .re(v0), .addr(c0), .data(rowq));
        end else begin : g_start
            sg_rom #(.WIDTH(Z*RB), .DEPTH(DOUT), .AW(SB), .INIT_FILE(ROW_INIT)) start_rom (
                .clk(clk), .ce(ce), .re(v0), .addr(s0), .data(rowq));
        end
    endgenerate

    // weights: Z lanes x C rows, one row per clock in natural order; write-back in S3; memory port when idle
    wire [Z*W-1:0] wq;
    reg            v3, first3;
    reg [CB-1:0]   c3;
    reg [RRB-1:0]  rr3;
    reg [Z*W-1:0]  wn3;
    reg [Q*W-1:0]  bn3;
    wire up_wr = v3 && bu_on && (TRAIN != 0);
    wire mm_w_wr = mm_en && mm_we && !mm_bias;
    wire mm_b_wr = mm_en && mm_we && mm_bias;
    wire [Z-1:0] mm_lane_hot = {{(Z-1){1'b0}}, 1'b1} << mm_lane;
    sg_ram #(.WIDTH(Z*W), .DEPTH(C), .LANES(Z), .AW(CB), .INIT_FILE(W_INIT), .RAM_STYLE(RAM_STYLE)) wmem (
        .clk(clk), .ce(ce),
        .we(up_wr ? {Z{1'b1}} : (mm_w_wr ? mm_lane_hot : {Z{1'b0}})),
        .waddr(up_wr ? c3 : mm_row), .wdata(up_wr ? wn3 : {Z{mm_wdata}}),
        .re(1'b1), .raddr(v0 ? c0 : mm_row), .rdata(wq));

    // biases: Q banks x N / Q rows (neuron r in bank r mod Q, row r / Q); written back in S3 (first clock of the
    // neuron only when Z < DIN)
    wire [Q*W-1:0] bq;
    wire bup_wr = up_wr && first3;
    wire [Q-1:0] mm_bank_hot = {{(Q-1){1'b0}}, 1'b1} << mm_lane;
    sg_ram #(.WIDTH(Q*W), .DEPTH(RROWS), .LANES(Q), .AW(RRB), .INIT_FILE(B_INIT), .RAM_STYLE(RAM_STYLE)) bmem (
        .clk(clk), .ce(ce),
        .we(bup_wr ? {Q{1'b1}} : (mm_b_wr ? mm_bank_hot : {Q{1'b0}})),
        .waddr(bup_wr ? rr3 : mm_row[RRB-1:0]), .wdata(bup_wr ? bn3 : {Q{mm_wdata}}),
        .re(1'b1), .raddr(v0 ? rr0 : mm_row[RRB-1:0]), .rdata(bq));

    // memory port read data: 2 clocks after the request
    reg         mm_rd1_bias;
    reg [LB-1:0] mm_rd1_lane;
    always @(posedge clk) begin
        if (ce) begin
            mm_rd1_bias <= mm_bias;
            mm_rd1_lane <= mm_lane;
            mm_rdata <= mm_rd1_bias ? bq[mm_rd1_lane * W +: W] : wq[mm_rd1_lane * W +: W];
        end
    end

    // ================= S1 =================
    reg          v1, first1, last1;
    /* verilator lint_off UNUSEDSIGNAL */
    reg [RB-1:0] u1;  // (unused by the type1 row table)
    /* verilator lint_on UNUSEDSIGNAL */
    reg [SB-1:0] s1;
    reg [CB-1:0] c1;
    reg [RRB-1:0] rr1;
    reg [NB-1:0] r01;
    always @(posedge clk) begin
        if (rst) v1 <= 1'b0;
        else if (ce) v1 <= v0;
    end
    always @(posedge clk) begin
        if (ce) begin
            first1 <= first0;
            last1 <= last0;
            u1 <= u0;
            s1 <= s0;
            c1 <= c0;
            rr1 <= rr0;
            r01 <= r00;
        end
    end

    // left row per bank
    genvar m, k, g;
    generate
        for (m = 0; m < Z; m = m + 1) begin : g_row
            if (FAMILY == 1) begin : g_t1
                assign lrd_row[m*RB +: RB] = rowq[m*RB +: RB];
            end else begin : g_t2
                wire [RB:0] t = {1'b0, rowq[m*RB +: RB]} + {1'b0, u1};
                assign lrd_row[m*RB +: RB] = (t >= P_I[RB:0]) ? t[RB-1:0] - P_I[RB-1:0] : t[RB-1:0];
            end
        end
    endgenerate
    assign lrd_en = v1;

    // right delta per neuron group: the output delta (last junction) or mul(a', sat(g)) (docs/arithmetic.md s. 8)
    wire [Q*W-1:0] dr1;
    generate
        if (TRAIN != 0 && LAST != 0) begin : g_odelta
            // output deltas: 2 copies (ping-pong) of Q banks x N / Q rows; written in S7, read by BP/UP next cycle
            reg osel;
            always @(posedge clk) begin
                if (rst) osel <= 1'b0;
                else if (ce && cyc_start) osel <= ~osel;
            end
            // copy 0 at rows 0 .. N/Q - 1, copy 1 at N/Q .. 2N/Q - 1
            wire [OAW-1:0] owa = (osel ? RROWS_I[OAW-1:0] : {OAW{1'b0}}) + {{(OAW-RRB){1'b0}}, rr7};
            wire [OAW-1:0] ora = (osel ? {OAW{1'b0}} : RROWS_I[OAW-1:0]) + {{(OAW-RRB){1'b0}}, rr0};
            sg_ram #(.WIDTH(Q*W), .DEPTH(2*RROWS), .AW(OAW), .RAM_STYLE(RAM_STYLE)) omem (
                .clk(clk), .ce(ce), .we(v7 && ff_on), .waddr(owa), .wdata(o7),
                .re(v0), .raddr(ora), .rdata(dr1));
        end else if (TRAIN != 0) begin : g_scale
            // derivatives: DCOPIES rotating copies of Q banks x N / Q rows; written in S7, read when the BP/UP slot
            // reaches this junction (the oldest copy)
            reg [DAW-1:0] dwr_base, drd_base;
            wire [Q*DW-1:0] dq;
            function [DAW-1:0] dnext;
                input [DAW-1:0] b;
                begin
                    dnext = (b == DLAST_I[DAW-1:0]) ? {DAW{1'b0}} : b + RROWS_I[DAW-1:0];
                end
            endfunction
            always @(posedge clk) begin
                if (rst) begin
                    dwr_base <= {DAW{1'b0}};
                    drd_base <= RROWS_I[DAW-1:0];
                end else if (ce && cyc_start) begin
                    dwr_base <= dnext(dwr_base);
                    drd_base <= dnext(drd_base);
                end
            end
            sg_ram #(.WIDTH(Q*DW), .DEPTH(DCOPIES*RROWS), .AW(DAW), .RAM_STYLE(RAM_STYLE)) dmem (
                .clk(clk), .ce(ce), .we(v7 && ff_on), .waddr(dwr_base + {{(DAW-RRB){1'b0}}, rr7}), .wdata(d7),
                .re(v0), .raddr(drd_base + {{(DAW-RRB){1'b0}}, rr0}), .rdata(dq));
            for (g = 0; g < Q; g = g + 1) begin : g_q
                wire signed [RBPW-1:0] gs = rd_data[g*RBPW +: RBPW];
                wire signed [W-1:0] gsat = f_sat({{(XW-RBPW){gs[RBPW-1]}}, gs});
                if (ACT == 1) begin : g_relu_d
                    // a' is ONE or 0 and mul(ONE, x) = x: a multiplexer, no multiplier (as the plan counts)
                    assign dr1[g*W +: W] = dq[g] ? gsat : {W{1'b0}};
                end else begin : g_sig_d
                    assign dr1[g*W +: W] = f_mul(dq[g*DW +: DW], gsat);
                end
            end
        end else begin : g_nodelta
            assign dr1 = {(Q*W){1'b0}};
        end
    endgenerate
    assign rd_en = v0 && (TRAIN != 0) && (LAST == 0);
    assign rd_adv = v0 && last0;

    // pattern: bank permutation per sweep (memory dither)
    wire [Z*LB-1:0] permq, binvq;
    generate
        if (MD != 0) begin : g_md
            sg_rom #(.WIDTH(Z*LB), .DEPTH(DOUT), .AW(SB), .INIT_FILE(BANK_INIT)) perm_rom (
                .clk(clk), .ce(ce), .re(v0), .addr(s0), .data(permq));
            sg_rom #(.WIDTH(Z*LB), .DEPTH(DOUT), .AW(SB), .INIT_FILE(BINV_INIT)) binv_rom (
                .clk(clk), .ce(ce), .re(v0), .addr(s0), .data(binvq));
        end else begin : g_nomd
            for (k = 0; k < Z; k = k + 1) begin : g_id
                localparam integer K_I = k;
                assign permq[k*LB +: LB] = K_I[LB-1:0];
                assign binvq[k*LB +: LB] = K_I[LB-1:0];
            end
        end
    endgenerate

    // ================= S2 =================
    reg           v2, first2, last2;
    reg [SB-1:0]  s2;
    reg [CB-1:0]  c2;
    reg [RRB-1:0] rr2;
    reg [NB-1:0]  r02;
    reg [Z*W-1:0] w2;
    reg [Q*W-1:0] b2, d2;
    reg [Z*LB-1:0] perm2, binv2;
    reg [Z*RB-1:0] row2;
    always @(posedge clk) begin
        if (rst) v2 <= 1'b0;
        else if (ce) v2 <= v1;
    end
    always @(posedge clk) begin
        if (ce) begin
            first2 <= first1;
            last2 <= last1;
            s2 <= s1;
            c2 <= c1;
            rr2 <= rr1;
            r02 <= r01;
            w2 <= wq;
            b2 <= bq;
            d2 <= dr1;
            perm2 <= permq;
            binv2 <= binvq;
            row2 <= lrd_row;
        end
    end

    // per lane: FF product, BP product, updated weight
    wire [Z*W-1:0] pf2, pb2, wn2;
    generate
        for (k = 0; k < Z; k = k + 1) begin : g_lane
            localparam integer GRP = k / GS;
            wire [LB-1:0] bank = perm2[k*LB +: LB];
            wire signed [W-1:0] aff = lff_data[bank * W +: W];
            wire signed [W-1:0] aup = lup_data[bank * W +: W];
            wire signed [W-1:0] wv = w2[k*W +: W];
            wire signed [W-1:0] dv = d2[GRP*W +: W];
            assign pf2[k*W +: W] = f_mul(aff, wv);
            assign pb2[k*W +: W] = f_mul(dv, wv);
            assign wn2[k*W +: W] = f_upd(wv, dv, aup, bu_shift);
        end
    endgenerate
    wire [Q*W-1:0] bn2;
    generate
        for (g = 0; g < Q; g = g + 1) begin : g_bupd
            assign bn2[g*W +: W] = f_bupd(b2[g*W +: W], d2[g*W +: W], bu_shift);
        end
    endgenerate

`ifndef SYNTHESIS
    // Simulation only: every clock, the Z lanes must read Z different banks (clash-free pattern).
    reg [Z-1:0] seen;
    reg         clash;
    reg [LB-1:0] clash_bank;
    integer ck;
    always @* begin
        seen = {Z{1'b0}};
        clash = 1'b0;
        clash_bank = {LB{1'b0}};
        for (ck = 0; ck < Z; ck = ck + 1) begin
            if (seen[perm2[ck*LB +: LB]]) begin
                clash = 1'b1;
                clash_bank = perm2[ck*LB +: LB];
            end
            seen[perm2[ck*LB +: LB]] = 1'b1;
        end
    end
    always @(posedge clk) begin
        if (ce && v2 && clash) begin
            $display("sg_junction %0d: ERROR: bank clash: two lanes read bank %0d at clock %0d", JIDX, clash_bank, c2);
            $finish;
        end
    end
`endif

    // ================= S3 =================
    reg [SB-1:0]  s3;
    reg           last3;
    reg [NB-1:0]  r03;
    reg [Z*W-1:0] pf3, pb3;
    reg [Q*W-1:0] b3;
    reg [Z*LB-1:0] binv3;
    reg [Z*RB-1:0] row3;
    always @(posedge clk) begin
        if (rst) v3 <= 1'b0;
        else if (ce) v3 <= v2;
    end
    always @(posedge clk) begin
        if (ce) begin
            first3 <= first2;
            last3 <= last2;
            s3 <= s2;
            c3 <= c2;
            rr3 <= rr2;
            r03 <= r02;
            pf3 <= pf2;
            pb3 <= pb2;
            wn3 <= wn2;
            bn3 <= bn2;
            b3 <= b2;
            binv3 <= binv2;
            row3 <= row2;
        end
    end
    // BP contributions, routed from lanes to banks
    generate
        for (m = 0; m < Z; m = m + 1) begin : g_bp
            wire [LB-1:0] lane = binv3[m*LB +: LB];
            assign bp_val[m*W +: W] = pb3[lane * W +: W];
        end
    endgenerate
    assign bp_en = v3 && bu_on && (HAS_BP != 0);
    assign bp_first = (s3 == {SB{1'b0}});
    assign bp_row = row3;

    // adder tree: exact sum of the GS lanes of each neuron group
    reg [Q*ACCW-1:0] tsum3;
    integer tg, tk;
    reg signed [ACCW-1:0] tacc;
    reg signed [W-1:0] tv;
    always @* begin
        tsum3 = {(Q*ACCW){1'b0}};
        for (tg = 0; tg < Q; tg = tg + 1) begin
            tacc = {ACCW{1'b0}};
            for (tk = 0; tk < GS; tk = tk + 1) begin
                tv = pf3[(tg*GS + tk)*W +: W];
                tacc = tacc + {{(ACCW-W){tv[W-1]}}, tv};
            end
            tsum3[tg*ACCW +: ACCW] = tacc;
        end
    end

    // ================= S4 =================
    reg           v4, last4;
    reg [RRB-1:0] rr4;
    reg [NB-1:0]  r04;
    reg [Q*ACCW-1:0] acc4;
    reg [Q*W-1:0] bias4;
    integer ag;
    always @(posedge clk) begin
        if (rst) v4 <= 1'b0;
        else if (ce) v4 <= v3;
    end
    always @(posedge clk) begin
        if (ce) begin
            last4 <= last3;
            rr4 <= rr3;
            r04 <= r03;
            if (v3) begin
                for (ag = 0; ag < Q; ag = ag + 1)
                    acc4[ag*ACCW +: ACCW] <= (first3 ? {ACCW{1'b0}} : acc4[ag*ACCW +: ACCW]) +
                                             tsum3[ag*ACCW +: ACCW];
                if (first3) bias4 <= b3;
            end
        end
    end

    // ================= S5: s = sat(b + sum) =================
    reg           v5;
    reg [RRB-1:0] rr5;
    reg [NB-1:0]  r05;
    reg [Q*W-1:0] s5;
    integer sg;
    always @(posedge clk) begin
        if (rst) v5 <= 1'b0;
        else if (ce) v5 <= v4 && last4;
    end
    always @(posedge clk) begin
        if (ce) begin
            rr5 <= rr4;
            r05 <= r04;
            for (sg = 0; sg < Q; sg = sg + 1)
                s5[sg*W +: W] <= f_sat($signed({{(XW-ACCW){acc4[sg*ACCW+ACCW-1]}}, acc4[sg*ACCW +: ACCW]}) +
                                       $signed({{(XW-W){bias4[sg*W+W-1]}}, bias4[sg*W +: W]}));
        end
    end

    // ================= S6: activation =================
    reg           v6;
    reg [RRB-1:0] rr6;
    reg [NB-1:0]  r06;
    wire [Q*W-1:0] a6;
    always @(posedge clk) begin
        if (rst) v6 <= 1'b0;
        else if (ce) v6 <= v5;
    end
    always @(posedge clk) begin
        if (ce) begin
            rr6 <= rr5;
            r06 <= r05;
        end
    end
    generate
        for (g = 0; g < Q; g = g + 1) begin : g_act
            wire signed [W-1:0] sv = s5[g*W +: W];
            if (ACT == 1) begin : g_relu
                reg [W-1:0] ar;
                always @(posedge clk) if (ce) ar <= sv[W-1] ? {W{1'b0}} : sv;
                assign a6[g*W +: W] = ar;
            end else begin : g_sig
                // table index i = clamp(s >> R), address i + 2^(T-1)
                wire signed [W-1:0] si = sv >>> SIG_R;
                wire signed [W-1:0] hi = $signed({{(W-SIG_T+1){1'b0}}, {(SIG_T-1){1'b1}}});
                wire signed [W-1:0] lo = $signed({{(W-SIG_T+1){1'b1}}, {(SIG_T-1){1'b0}}});
                /* verilator lint_off CMPCONST */
                // (when the table covers the whole format the clamps are constant; intended)
                wire signed [W-1:0] ic = (si > hi) ? hi : (si < lo) ? lo : si;
                /* verilator lint_on CMPCONST */
                wire [SIG_T-1:0] ia = {~ic[SIG_T-1], ic[SIG_T-2:0]};
                sg_rom #(.WIDTH(W), .DEPTH(1 << SIG_T), .AW(SIG_T), .INIT_FILE(SIG_INIT)) sig_rom (
                    .clk(clk), .ce(ce), .re(1'b1), .addr(ia), .data(a6[g*W +: W]));
            end
        end
    endgenerate

    // prediction (last junction): running argmax of s over the first CLASSES outputs, lowest index on ties
    reg [LBW-1:0]        best_i, pred7;
    reg signed [W-1:0]   best_s;
    reg [LBW-1:0]        nb_i;
    reg signed [W-1:0]   nb_s;
    // (32-bit neuron and label numbers: in a junction other than the last, N may be smaller than CLASSES, which
    // counts the last layer's outputs; only the last junction's prediction and output deltas are used)
    /* verilator lint_off UNUSEDSIGNAL */
    reg [31:0]           pr;
    /* verilator lint_on UNUSEDSIGNAL */
    integer pg;
    always @* begin
        nb_i = best_i;
        nb_s = best_s;
        for (pg = 0; pg < Q; pg = pg + 1) begin
            pr = {{(32-NB){1'b0}}, r05} + pg;
            if (pr < CLASSES_I && ((r05 == {NB{1'b0}} && pg == 0) || $signed(s5[pg*W +: W]) > nb_s)) begin
                nb_s = s5[pg*W +: W];
                nb_i = pr[LBW-1:0];
            end
        end
    end
    always @(posedge clk) begin
        if (ce) begin
            if (v5) begin
                best_i <= nb_i;
                best_s <= nb_s;
            end
            pred7 <= best_i;
        end
    end

    // ================= S7: a', output delta, writes =================
    always @(posedge clk) begin
        if (rst) v7 <= 1'b0;
        else if (ce) v7 <= v6;
    end
    always @(posedge clk) begin
        if (ce) begin
            rr7 <= rr6;
            r07 <= r06;
            a7 <= a6;
        end
    end
    generate
        for (g = 0; g < Q; g = g + 1) begin : g_out
            localparam integer G_I = g;
            wire signed [W-1:0] av = a6[g*W +: W];
            wire               apos = !av[W-1] && (av != {W{1'b0}});
            // target y = ONE for the label's neuron
            wire               is_lab = (({{(32-NB){1'b0}}, r06} + G_I) == {{(32-LBW){1'b0}}, ff_label});
            wire signed [W+1:0] ov = {{2{av[W-1]}}, av} - (is_lab ? {2'b00, ONE} : {(W+2){1'b0}});
            wire signed [W-1:0] osat = f_sat({{(XW-W-2){ov[W+1]}}, ov});
            always @(posedge clk) begin
                if (ce) o7[g*W +: W] <= (ACT == 1 && !apos) ? {W{1'b0}} : osat;
            end
            if (ACT == 1) begin : g_drelu
                always @(posedge clk) if (ce) d7[g] <= apos;
            end else begin : g_dsig
                always @(posedge clk) if (ce) d7[g*DW +: DW] <= f_mul(av, ONE - av);
            end
        end
    endgenerate
    assign ro_en = v7 && ff_on && (LAST == 0);
    assign ro_act = a7;
    assign res_valid = v7 && ff_on && (LAST != 0);
    assign res_last = ((r07 + Q_I[NB-1:0]) == N_I[NB-1:0]);
    assign res_data = a7;
    assign res_pred = pred7;
endmodule
`default_nettype wire
