`default_nettype none
// sg_junction: one junction j of the network. In every junction cycle it walks its W = C * Z edges in natural
// order, Z lanes per clock (lane k of clock c is edge c * Z + k), and does at once, sharing one read of each weight
// row: the FF of the sample in its FF slot, and the BP (j >= 2) and UP of the sample in its BP/UP slot.
// The arithmetic is docs/arithmetic.md exactly; the stages (docs/hardware.md section 3; TD = clog2(min(z, d_in))):
//   0 issue (edge counter; ROM, weight, bias, derivative and right-delta reads); 1 left row per bank -> left
//   memory reads; 2 left data registered (3); right delta: read data registered (2), product over two clocks (4),
//   rounded (5); no block RAM's read data and no multiplexer behind one goes into arithmetic in the same clock, and
//   every product but a'^2 takes two clocks (sg_mul LAT = 2)
//   FF: product (5), rnd/sat (6), adder tree one level per clock (7 .. 6 + TD), accumulator with the bias (7 + TD),
//   s = sat and table index (8 + TD), activation (9 + TD), writes and a'^2 (10 + TD = the depth)
//   BP: product (7), rnd/sat = contribution to the left delta memory (8); UP: product (7), add the rounding
//   constant (8), shift (9), sat(w + .) written back (10); bias: -d + 2^(k-1) (6), shift (7), sat(b + .) (8)
// Every product is an sg_mul (registered output), on a DSP block or in logic as the generator chose.
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
    // copies of the derivative memory g(2J - 2j + 1) + 1 (not last, training; gen/plan.h sg_deriv_copies)
    parameter integer DCOPIES = 4,
    // copies of the output-delta memory g + 1 (last, training; gen/plan.h sg_delta_copies)
    parameter integer OCOPIES = 2,
    // width of the right layer's delta sums (w + clog2(d_out(j+1) + 1)); not last, training
    parameter integer RBPW = 14,
    // latency budget SG_LAT_BASE + clog2(min(z, d_in)) from gen/plan.h; must cover the internal depth
    // 10 + clog2(min(z, d_in)) (docs/hardware.md section 3)
    parameter integer LAT = 11,
    // multipliers built on DSP blocks (sparsegen rtl --dsp): lanes 0 .. FF_DSP - 1 of the FF products, BP_DSP of
    // the BP products, UP_DSP of the weight-update products, and OT_DSP of the 2Q others (group g's delta scaling
    // is number g, its derivative number Q + g); the rest are logic multipliers (sg_mul DSP = 0)
    parameter integer FF_DSP = 1 << 20,
    parameter integer BP_DSP = 1 << 20,
    parameter integer UP_DSP = 1 << 20,
    parameter integer OT_DSP = 1 << 20,
    // the left activation's real range (gen/plan.c): a = x * 2^A_SH with 0 <= x < 2^A_BITS, so the FF and UP
    // products multiply by the (A_BITS + 1)-bit x and shift the product
    parameter integer A_BITS = W - 1,
    parameter integer A_SH = 0,
    // the learning-rate shift k: -1 takes each sample's (bu_shift, carried in the tag); 0 .. 30 builds k into the
    // hardware (spec learning_rate.fixed: the update's shifters become wiring; bu_shift must then equal LR_K,
    // which the simulation checks)
    parameter integer LR_K = -1,
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
    // control (sg_ctrl); the slot inputs are constant during a cycle. They are taken with every edge at its issue
    // and travel with it (in its tag), as does the cycle start (csd), so a cycle's last edges, which with
    // overlapped cycles finish during the next cycle, still use their own cycle's slot and memory copies.
    input  wire              cyc_start,
    input  wire              ff_on,      // the FF slot holds a sample
    input  wire              bu_on,      // the BP/UP slot holds a training sample
    input  wire [4:0]        bu_shift,   // its learning-rate shift
    input  wire [LBW-1:0]    ff_label,   // label of the FF sample (last junction)
    // left layer: interleaved reads (one row per bank), data one clock later
    // (stage 0 holds an edge, and ce) as a register, computed from ce's next value: the left layer's RAMs' read
    // enable (sg_ram RE_CE)
    input  wire              ce_next,
    output reg               lrd_ce,
    // the cycle start delayed to the left reads' stage (1): rotates the left layer's read copies
    output wire              lrd_cyc,
    output wire [Z*RB-1:0]   lrd_row,
    input  wire [Z*W-1:0]    lff_data,   // FF copy
    input  wire [Z*W-1:0]    lup_data,   // UP copy
    // left layer: BP contributions to the delta sums (j >= 2, training)
    output wire              bp_en,
    output wire              bp_first,
    output wire [Z*RB-1:0]   bp_row,
    output wire [Z*W-1:0]    bp_val,
    // the cycle start delayed to the BP contributions' stage (high in the clock before a cycle's first one)
    output wire              bp_cyc,
    // right layer: natural-order activation writes (not last)
    output wire              ro_en,
    output wire [Q*W-1:0]    ro_act,
    // the cycle start delayed to the writes' stage (high in the clock before a cycle's first write could come)
    output wire              ro_cyc,
    // right layer: natural-order delta-sum reads (not last, training), issued one clock ahead of stage 0 (rd_en);
    // the data of stage 0's neurons arrives one clock after stage 0
    output wire              rd_en,
    output wire              rd_adv,
    /* verilator lint_off UNUSEDSIGNAL */
    // (rd_data is unused by the last junction and in inference)
    input  wire [Q*RBPW-1:0] rd_data,
    /* verilator lint_on UNUSEDSIGNAL */
    // result stream beats (last junction)
    output wire              res_valid,
    // res_valid in the next clock (for sg_ctrl's clock enable, decided two clocks ahead)
    output wire              res_valid_next,
    output wire              res_last,
    output wire [Q*W-1:0]    res_data,
    output wire [LBW-1:0]    res_pred,
    // memory port (only while the pipeline is idle): weight (row, lane) or bias (row, bank); data 2 clocks later
    input  wire              mm_en,
    input  wire              mm_we,
    input  wire              mm_bias,
    input  wire [CB-1:0]     mm_row,
    // the row of the request the top level accepts in this clock (mm_row one clock early: the write addresses'
    // registers load it)
    input  wire [CB-1:0]     mm_row_nx,
    input  wire [LB-1:0]     mm_lane,
    // the write's lane (weights) and bank (biases) enables: registers at the top level, one-hot of mm_lane for a
    // write of this junction's weights or biases, else zero (checked below)
    input  wire [Z-1:0]      mm_whot,
    input  wire [Q-1:0]      mm_bhot,
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
    localparam integer UW = 2 * W + 2;
    // the widest value that is saturated: w + rnd(-d a, .) (UW + 1 bits), the FF sum (ACCW), the BP sum (RBPW)
    localparam integer XW0 = (ACCW > UW + 1) ? ACCW : UW + 1;
    localparam integer XW = ((RBPW > XW0) ? RBPW : XW0) + 1;
    localparam integer AXW = A_BITS + 1;                    // activation operand width of the FF and UP products
    localparam integer DW = (ACT == 1) ? 1 : W;
    // pipeline stages (docs/hardware.md section 3): the FF product is registered in stage 5, rounded and saturated
    // in 6, the adder tree has one register per level (TD levels), then the accumulator (SA), s and the table
    // index (SS), the activation (SX) and the writes (SW = DEPTH, the clocks from issue to the last write)
    localparam integer TD = (GS > 1) ? $clog2(GS) : 0;
    localparam integer ST = 6 + TD;
    localparam integer SA = 7 + TD;
    localparam integer SS = 8 + TD;
    localparam integer SX = 9 + TD;
    localparam integer SW = 10 + TD;
    localparam integer DEPTH = SW;
    // BP contribution out (SBV), bias written back (SBW), weight written back (SUW); all within DEPTH
    localparam integer SBV = 8;
    localparam integer SBW = 8;
    localparam integer SUW = 10;
    localparam integer DAW = (DCOPIES * RROWS > 1) ? $clog2(DCOPIES * RROWS) : 1;
    localparam integer OAW = (OCOPIES * RROWS > 1) ? $clog2(OCOPIES * RROWS) : 1;
    localparam integer OLAST_I = (OCOPIES - 1) * RROWS;
    localparam integer C_LAST_I = C - 1;
    localparam integer P_LAST_I = P - 1;
    localparam integer CPN_LAST_I = CPN - 1;
    localparam integer Q_I = Q;
    localparam integer N_I = N;
    localparam integer CLASSES_I = CLASSES;
    localparam integer W_I = W;
    localparam integer RROWS_I = RROWS;
    localparam integer DLAST_I = (DCOPIES - 1) * RROWS;

    initial begin
        if (W < 8 || W > 16 || F < 1 || F > W - 2 || Z < 1 || P < 1 || DIN < 1 || DOUT < 1 || N < 1 ||
            C * Z != N * DIN || C != P * DOUT || Q != ((Z > DIN) ? Z / DIN : 1) ||
            CPN != ((DIN > Z) ? DIN / Z : 1) || (Z >= DIN && Z % DIN != 0) || (Z < DIN && DIN % Z != 0) ||
            N % Q != 0 || OCOPIES < 2 || (FAMILY != 1 && FAMILY != 2) || (MD != 0 && MD != 1) || LAT < DEPTH ||
            RB != ((P > 1) ? $clog2(P) : 1) || LB != ((Z > 1) ? $clog2(Z) : 1) ||
            CB != ((C > 1) ? $clog2(C) : 1) || LBW != ((CLASSES > 1) ? $clog2(CLASSES) : 1) ||
            CLASSES < 1 || (LAST != 0 && CLASSES > N) || (LAST == 0 && TRAIN != 0 && RBPW < W) || DCOPIES < 2 ||
            SIG_T > W || SIG_T < 2 || A_BITS < 1 || A_SH < 0 || A_BITS + A_SH > W - 1) begin
            $display("sg_junction %0d: illegal parameters (W=%0d F=%0d P=%0d Z=%0d DIN=%0d DOUT=%0d N=%0d C=%0d Q=%0d CPN=%0d LAT=%0d)",
                     JIDX, W, F, P, Z, DIN, DOUT, N, C, Q, CPN, LAT);
            $finish;
        end
    end

    // ---- arithmetic (docs/arithmetic.md section 2), on XW-bit intermediates that hold every value exactly ----
    // sat(v): v is in range iff its bits XW-1 .. W-1 are all equal (no comparator carry chain)
    function signed [W-1:0] f_sat;
        input signed [XW-1:0] v;
        begin
            if (&v[XW-1:W-1] || ~|v[XW-1:W-1]) f_sat = v[W-1:0];
            else f_sat = v[XW-1] ? {1'b1, {(W-1){1'b0}}} : {1'b0, {(W-1){1'b1}}};
        end
    endfunction
    // mul's rounding and saturation of an exact product p: sat(rnd(p, F)) = sat(floor((floor(p / 2^(F-1)) + 1) / 2)),
    // so only the bits from F - 1 up go through the adder (|p| <= 2^(2W-2): 2W - F + 2 bits hold the sum)
    localparam integer RSW = 2 * W - F + 2;
    function signed [W-1:0] f_rs;
        input signed [2*W-1:0] p;
        reg signed [RSW-1:0] t;
        begin
            t = $signed({p[2*W-1], p[2*W-1:F-1]}) + $signed({{(RSW-1){1'b0}}, 1'b1});
            if (&t[RSW-1:W] || ~|t[RSW-1:W]) f_rs = t[W:1];
            else f_rs = t[RSW-1] ? {1'b1, {(W-1){1'b0}}} : {1'b0, {(W-1){1'b1}}};
        end
    endfunction

    localparam [W-1:0] ONE = {{(W-1){1'b0}}, 1'b1} << F;

    // write-stage values, declared here because the right-side memories below use them: activations, output deltas
    // (last junction, training) and derivatives (the others, training)
    reg  [Q*W-1:0]  a_w;
    /* verilator lint_off UNUSEDSIGNAL */
    reg  [Q*W-1:0]  o_w;
    wire [Q*DW-1:0] d_w;
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

    // ---- pipeline bookkeeping: the tag of every edge clock {FF slot on, BP/UP slot on, its shift, FF label,
    // first, last, sweep, clock, right row, first right neuron}, delayed by one register per stage; the tag of the
    // edge in stage k is tags[(k-1)*TGW +: TGW]. ve[k-1] = stage k holds an edge. csd[k] = the cycle start k clocks
    // ago: high in the clock before the cycle's first edge reaches stage k. ----
    localparam integer TGB = 2 + SB + CB + RRB + NB;
    localparam integer TGW = TGB + LBW + 7;
    wire [TGW-1:0] tag0 = {ff_on, bu_on, bu_shift, ff_label, first0, last0, s0, c0, rr0, r00};
    reg  [DEPTH:1] csd;
    always @(posedge clk) begin
        if (rst) csd <= {DEPTH{1'b0}};
        else if (ce) csd <= {csd[DEPTH-1:1], cyc_start};
    end
    /* verilator lint_off UNUSEDSIGNAL */
    // (every stage's tag is kept; each stage uses only some of its fields)
    reg  [DEPTH*TGW-1:0] tags;
    reg  [DEPTH-1:0]     ve;
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        if (rst) ve <= {DEPTH{1'b0}};
        else if (ce) ve <= {ve[DEPTH-2:0], v0};
    end
    always @(posedge clk) if (ce) tags <= {tags[(DEPTH-1)*TGW-1:0], tag0};
    localparam integer TF_FIRST = TGB - 1;
    localparam integer TF_LAST = TGB - 2;
    localparam integer TF_LAB = TGB;
    localparam integer TF_SH = TGB + LBW;
    localparam integer TF_BU = TGB + LBW + 5;
    localparam integer TF_FF = TGB + LBW + 6;
    // the slot fields where they are used: the FF slot at the writes (SW) and its label at SX, the BP/UP slot at
    // the weight (SUW) and bias (SBW) write-backs and the BP contributions (SBV)
    wire ff_w = tags[(SW-1)*TGW + TF_FF];
    wire [LBW-1:0] lab_x = tags[(SX-1)*TGW + TF_LAB +: LBW];
    wire bu_uw = tags[(SUW-1)*TGW + TF_BU];
    wire bu_bw = tags[(SBW-1)*TGW + TF_BU];
    wire bu_bv = tags[(SBV-1)*TGW + TF_BU];
    assign bp_cyc = csd[SBV];
    assign lrd_cyc = csd[1];
    assign ro_cyc = csd[SW];
    localparam integer TF_S = CB + RRB + NB;
    localparam integer TF_C = RRB + NB;
    localparam integer TF_RR = NB;

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

    // weights: Z lanes x C rows, one row per clock in natural order; written back in stage SUW; memory port when
    // idle
    wire [Z*W-1:0] wq;
    reg  [Z*W-1:0] wn_w;
    // the weight and bias write-backs' enables as registers, loaded one clock ahead from stages SUW - 1 and SBW - 1
    // (so that no LUT of the stage's valid bit and slot field sits in front of the multiplexers of every RAM's write
    // address and data); checked against their definitions in simulation
    reg up_wr, bup_wr;
    always @(posedge clk) begin
        if (rst) begin
            up_wr <= 1'b0;
            bup_wr <= 1'b0;
        end else if (ce) begin
            up_wr <= ve[SUW-2] && tags[(SUW-2)*TGW + TF_BU] && (TRAIN != 0);
            bup_wr <= ve[SBW-2] && tags[(SBW-2)*TGW + TF_BU] && (TRAIN != 0) && tags[(SBW-2)*TGW + TF_FIRST];
        end
    end
`ifndef SYNTHESIS
    always @(posedge clk) begin
        if (!rst && (up_wr !== (ve[SUW-1] && bu_uw && (TRAIN != 0)) ||
                     bup_wr !== (ve[SBW-1] && bu_bw && (TRAIN != 0) && tags[(SBW-1)*TGW + TF_FIRST]))) begin
            $display("sg_junction %m: registered write-back enables up_wr %b bup_wr %b differ from their definitions",
                     up_wr, bup_wr);
            $fatal(1, "sg_junction up_wr");
        end
    end
`endif
    wire mm_w_wr = mm_en && mm_we && !mm_bias;
    wire mm_b_wr = mm_en && mm_we && mm_bias;
    // the write address and data multiplexers choose by mm_en, a register (the memory port and the write-backs
    // never meet, checked below), not by the write-back's enable
    // the weight and bias RAMs read only when the data is used: an edge (the bias in a neuron's first clock: the
    // later clocks of a neuron over several clocks use that value, and one of them may be the clock its new value is
    // written) or a memory-port read; otherwise they hold, so no used read meets a write of its row (sg_ram RW_OK)
    wire mm_rd = mm_en && !mm_we;
    // the weight and bias RAMs' write addresses are registers, loaded one clock ahead: the write-back's row from
    // stage SUW - 1 (SBW - 1) when that stage holds an edge, else the row of the memory-port request the top level
    // accepts (its access comes one clock later, in a clock in which no stage holds an edge). So the address pins
    // of every block RAM of the weights are driven by a register (and its fan-out copies beside them), not by a
    // multiplexer after mm_en (the routed anchor network's slowest path at grade 8 and 6: mm_en -> 4.7 ns -> the
    // multiplexer -> 4.6 ns -> a DP16KD's address). Checked in every clock that writes against the multiplexer.
    reg [CB-1:0]  w_wa;
    reg [RRB-1:0] b_wa;
    always @(posedge clk) begin
        if (ce) begin
            w_wa <= ve[SUW-2] ? tags[(SUW-2)*TGW + TF_C +: CB] : mm_row_nx;
            b_wa <= ve[SBW-2] ? tags[(SBW-2)*TGW + TF_RR +: RRB] : mm_row_nx[RRB-1:0];
        end
    end
`ifndef SYNTHESIS
    always @(posedge clk) begin
        if (!rst && ((up_wr || mm_w_wr) && w_wa !== (mm_en ? mm_row : tags[(SUW-1)*TGW + TF_C +: CB]) ||
                     (bup_wr || mm_b_wr) && b_wa !== (mm_en ? mm_row[RRB-1:0] : tags[(SBW-1)*TGW + TF_RR +: RRB]))) begin
            $display("sg_junction %m: registered write address %0d / %0d differs from the write's row", w_wa, b_wa);
            $fatal(1, "sg_junction w_wa");
        end
    end
`endif
    wire [Z-1:0] mm_lane_hot = {{(Z-1){1'b0}}, 1'b1} << mm_lane;
    sg_ram #(.WIDTH(Z*W), .DEPTH(C), .LANES(Z), .AW(CB), .INIT_FILE(W_INIT), .RAM_STYLE(RAM_STYLE)) wmem (
        .clk(clk), .ce(ce),
        .we({Z{up_wr}} | mm_whot),
        .waddr(w_wa), .wdata(mm_en ? {Z{mm_wdata}} : wn_w),
        .re(v0 || mm_rd), .raddr(v0 ? c0 : mm_row), .rdata(wq));

    // biases: Q banks x N / Q rows (neuron r in bank r mod Q, row r / Q); written back in stage SBW (first clock of
    // the neuron only when Z < DIN)
    wire [Q*W-1:0] bq;
    reg  [Q*W-1:0] bn_w;
`ifndef SYNTHESIS
    // the top level takes a memory-port access only in a clock in which no cycle starts, runs or drains
    always @(posedge clk) begin
        if (!rst && ce && mm_en && (v0 || up_wr || bup_wr)) begin
            $display("sg_junction %m: a memory-port access in a clock in which the junction uses its RAMs");
            $fatal(1, "sg_junction memory port");
        end
    end
`endif
    wire [Q-1:0] mm_bank_hot = {{(Q-1){1'b0}}, 1'b1} << mm_lane;
`ifndef SYNTHESIS
    // the top level's registered lane enables are the decode of this clock's request
    always @(posedge clk) begin
        if (!rst && (mm_whot !== (mm_w_wr ? mm_lane_hot : {Z{1'b0}}) || mm_bhot !== (mm_b_wr ? mm_bank_hot : {Q{1'b0}}))) begin
            $display("sg_junction %m: memory-port lane enables %b / %b differ from the request's decode", mm_whot, mm_bhot);
            $fatal(1, "sg_junction mm_whot");
        end
    end
`endif
    sg_ram #(.WIDTH(Q*W), .DEPTH(RROWS), .LANES(Q), .AW(RRB), .INIT_FILE(B_INIT), .RAM_STYLE(RAM_STYLE)) bmem (
        .clk(clk), .ce(ce),
        .we({Q{bup_wr}} | mm_bhot),
        .waddr(b_wa), .wdata(mm_en ? {Q{mm_wdata}} : bn_w),
        .re((v0 && first0) || mm_rd), .raddr(v0 ? rr0 : mm_row[RRB-1:0]), .rdata(bq));

    // memory port read data: 4 clocks after the request. The lane is selected from the pipeline's registered copy
    // of the row (w2, b2: the RAM's read data one clock later), not from the RAM's output: a block RAM's read data
    // comes late in the clock (ECP5 DP16KD: 5.8 ns), and a Z-to-1 multiplexer behind it was the critical path
    reg         mm_rd1_bias, mm_rd2_bias, mm_rd3_bias;
    reg [LB-1:0] mm_rd1_lane, mm_rd2_lane;
    /* verilator lint_off UNUSEDSIGNAL */
    // (used only by the tree's levels above MM_PR: none with 16 lanes or fewer)
    reg [LB-1:0] mm_rd3_lane;
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        if (ce) begin
            mm_rd1_bias <= mm_bias;
            mm_rd1_lane <= mm_lane;
            mm_rd2_bias <= mm_rd1_bias;
            mm_rd2_lane <= mm_rd1_lane;
            mm_rd3_bias <= mm_rd2_bias;
            mm_rd3_lane <= mm_rd2_lane;
            mm_rdata <= mm_rd3_bias ? mm_bsel : mm_wsel;
        end
    end
    // the selected lane (bias bank): a balanced tree of 2:1 multiplexers, one level per bit of the lane number
    // (LB = log2 Z levels). Written as a chain of comparisons it was a priority chain about 100 LUTs deep for 128
    // lanes, the anchor network's worst path by far; an index times W would be a multiplication that synthesis
    // could put on a DSP block. Lanes beyond Z (Q) read as 0. The tree is registered after level MM_PR (at most
    // 16:1): the lanes are spread over the whole device, and the full 128:1 tree in one clock was the routed anchor
    // network's slowest path (17.1 ns, 13.8 of it routing); the levels above it select with the lane one clock later
    localparam integer MM_PR = (LB < 4) ? LB : 4;
    wire [W-1:0] mm_wsel, mm_bsel;
    genvar ml, mn;
    for (ml = 0; ml <= LB; ml = ml + 1) begin : g_mmt
        for (mn = 0; mn < ((1 << LB) >> ml); mn = mn + 1) begin : g_n
            wire [W-1:0] vw, vb;
            if (ml == 0) begin : g_leaf
                if (mn < Z) begin : g_w
                    assign vw = w2[mn*W +: W];
                end else begin : g_w0
                    assign vw = {W{1'b0}};
                end
                if (mn < Q) begin : g_b
                    assign vb = b2[mn*W +: W];
                end else begin : g_b0
                    assign vb = {W{1'b0}};
                end
            end else if (ml == MM_PR) begin : g_reg
                reg [W-1:0] rw, rb;
                always @(posedge clk) begin
                    if (ce) begin
                        rw <= mm_rd2_lane[ml-1] ? g_mmt[ml-1].g_n[2*mn+1].vw : g_mmt[ml-1].g_n[2*mn].vw;
                        rb <= mm_rd2_lane[ml-1] ? g_mmt[ml-1].g_n[2*mn+1].vb : g_mmt[ml-1].g_n[2*mn].vb;
                    end
                end
                assign vw = rw;
                assign vb = rb;
            end else if (ml < MM_PR) begin : g_mux
                assign vw = mm_rd2_lane[ml-1] ? g_mmt[ml-1].g_n[2*mn+1].vw : g_mmt[ml-1].g_n[2*mn].vw;
                assign vb = mm_rd2_lane[ml-1] ? g_mmt[ml-1].g_n[2*mn+1].vb : g_mmt[ml-1].g_n[2*mn].vb;
            end else begin : g_mux3
                assign vw = mm_rd3_lane[ml-1] ? g_mmt[ml-1].g_n[2*mn+1].vw : g_mmt[ml-1].g_n[2*mn].vw;
                assign vb = mm_rd3_lane[ml-1] ? g_mmt[ml-1].g_n[2*mn+1].vb : g_mmt[ml-1].g_n[2*mn].vb;
            end
        end
    end
    assign mm_wsel = g_mmt[LB].g_n[0].vw;
    assign mm_bsel = g_mmt[LB].g_n[0].vb;

    // ================= S1: left rows, left memory reads; right delta (product) =================
    /* verilator lint_off UNUSEDSIGNAL */
    reg [RB-1:0] u1;  // (unused by the type1 row table)
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) if (ce) u1 <= u0;
    // u1 == 0 as a register (loaded from u0 == 0): it chooses every bank's row, so no comparison LUT and its fan-out
    // copies sit between u1 and the layer memories' read addresses
    /* verilator lint_off UNUSEDSIGNAL */
    reg u1z;  // (unused by the type1 row table)
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) if (ce) u1z <= (u0 == {RB{1'b0}});

    // left row per bank
    genvar m, k, g;
    generate
        for (m = 0; m < Z; m = m + 1) begin : g_row
            if (FAMILY == 1) begin : g_t1
                assign lrd_row[m*RB +: RB] = rowq[m*RB +: RB];
            end else begin : g_t2
                // row (start + u) mod P: the start row at u = 0, else the previous clock's row + 1 (mod P), which
                // is registered, so the memory address is one multiplexer after the start-row ROM
                reg  [RB-1:0] rnext;
                wire [RB-1:0] cur = u1z ? rowq[m*RB +: RB] : rnext;
                always @(posedge clk) if (ce) rnext <= (cur == P_LAST_I[RB-1:0]) ? {RB{1'b0}} : cur + 1'b1;
                assign lrd_row[m*RB +: RB] = cur;
            end
        end
    endgenerate
`ifndef SYNTHESIS
    always @(posedge clk) begin
        if (!rst && ve[0] && u1z !== (u1 == {RB{1'b0}})) begin
            $display("sg_junction %m: u1z %b differs from u1 == 0", u1z);
            $fatal(1, "sg_junction u1z");
        end
    end
`endif
    wire lrd_en = ve[0];
    // lrd_en && ce computed one clock ahead from ce's next value and ve[0]'s: a register drives the block RAMs'
    // read clock enables, not a LUT that ANDs two registers (the quarter network's slowest path: 6.4 ns of routing
    // from that LUT to a layer-0 RAM)
    always @(posedge clk) begin
        if (rst) lrd_ce <= 1'b0;
        else lrd_ce <= ce_next && (ce ? v0 : ve[0]);
    end
`ifndef SYNTHESIS
    always @(posedge clk) begin
        if (!rst && lrd_ce !== (lrd_en && ce)) begin
            $display("sg_junction %m: lrd_ce %b differs from lrd_en && ce (%b)", lrd_ce, lrd_en && ce);
            $fatal(1, "sg_junction lrd_ce");
        end
    end
`endif

    // right delta per neuron group, ready in stage 5 (d5): the output delta (last junction) or
    // mul(a', sat(g)) (docs/arithmetic.md s. 8): the read data registered in stage 2, saturated and multiplied over
    // two clocks (product in stage 4), rounded and saturated in 5
    reg [Q*W-1:0] d5;
    generate
        if (TRAIN != 0 && LAST != 0) begin : g_odelta
            // output deltas: OCOPIES rotating copies of Q banks x N / Q rows; written in stage SW, read by BP/UP
            // g cycles later (the copy after the one written: the write copy rotates at the writes' cycle start,
            // the read copy at the cycle start)
            reg [OAW-1:0] owr_base, ord_base;
            wire [Q*W-1:0] dr1;
            reg  [Q*W-1:0] dr2, dr3, dr4;
            function [OAW-1:0] onext;
                input [OAW-1:0] b;
                begin
                    onext = (b == OLAST_I[OAW-1:0]) ? {OAW{1'b0}} : b + RROWS_I[OAW-1:0];
                end
            endfunction
            always @(posedge clk) begin
                if (rst) begin
                    owr_base <= {OAW{1'b0}};
                    ord_base <= RROWS_I[OAW-1:0];
                end else if (ce) begin
                    if (csd[SW]) owr_base <= onext(owr_base);
                    if (cyc_start) ord_base <= onext(ord_base);
                end
            end
            wire [OAW-1:0] owa = owr_base + {{(OAW-RRB){1'b0}}, tags[(SW-1)*TGW + TF_RR +: RRB]};
            wire [OAW-1:0] ora = ord_base + {{(OAW-RRB){1'b0}}, rr0};
            sg_ram #(.WIDTH(Q*W), .DEPTH(OCOPIES*RROWS), .AW(OAW), .RAM_STYLE(RAM_STYLE)) omem (
                .clk(clk), .ce(ce), .we(vw && ff_w), .waddr(owa), .wdata(o_w),
                .re(v0), .raddr(ora), .rdata(dr1));
            always @(posedge clk) begin
                if (ce) begin
                    dr2 <= dr1;
                    dr3 <= dr2;
                    dr4 <= dr3;
                    d5 <= dr4;
                end
            end
        end else if (TRAIN != 0) begin : g_scale
            // derivatives: DCOPIES rotating copies of Q banks x N / Q rows; written in stage SW, read when the
            // BP/UP slot reaches this junction (the oldest copy; the write copy rotates at the writes' cycle start)
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
                end else if (ce) begin
                    if (csd[SW]) dwr_base <= dnext(dwr_base);
                    if (cyc_start) drd_base <= dnext(drd_base);
                end
            end
            // the write is registered (made one clock after stage SW): the derivative's arithmetic (a sigmoid's
            // square, ONE/2 - a^2, its shift and the sum) ends in a register, not in a long route to the RAM's write
            // data (the quarter network's slowest path at 89.5 MHz); the copy it goes to is still the one of SW
            reg             dw_we;
            reg [DAW-1:0]   dw_wa;
            reg [Q*DW-1:0]  dw_wd;
            always @(posedge clk) begin
                if (rst) dw_we <= 1'b0;
                else if (ce) dw_we <= vw && ff_w;
            end
            always @(posedge clk) begin
                if (ce) begin
                    dw_wa <= dwr_base + {{(DAW-RRB){1'b0}}, tags[(SW-1)*TGW + TF_RR +: RRB]};
                    dw_wd <= d_w;
                end
            end
            sg_ram #(.WIDTH(Q*DW), .DEPTH(DCOPIES*RROWS), .AW(DAW), .RAM_STYLE(RAM_STYLE)) dmem (
                .clk(clk), .ce(ce), .we(dw_we), .waddr(dw_wa), .wdata(dw_wd),
                .re(v0), .raddr(drd_base + {{(DAW-RRB){1'b0}}, rr0}), .rdata(dq));
            for (g = 0; g < Q; g = g + 1) begin : g_q
                // the delta sum and the derivative as read (stage 2)
                reg signed [RBPW-1:0] gs2;
                reg [DW-1:0]          dq2;
                always @(posedge clk) begin
                    if (ce) begin
                        gs2 <= rd_data[g*RBPW +: RBPW];
                        dq2 <= dq[g*DW +: DW];
                    end
                end
                if (ACT == 1) begin : g_relu_d
                    // a' is ONE or 0 and mul(ONE, x) = x: a multiplexer, no multiplier (as the plan counts)
                    wire signed [W-1:0] gsat = f_sat({{(XW-RBPW){gs2[RBPW-1]}}, gs2});
                    reg [W-1:0] dr3, dr4;
                    always @(posedge clk) begin
                        if (ce) begin
                            dr3 <= dq2[0] ? gsat : {W{1'b0}};
                            dr4 <= dr3;
                            d5[g*W +: W] <= dr4;
                        end
                    end
                end else if (g < OT_DSP && RBPW <= 16) begin : g_sig_du
                    // a' is in [0, ONE / 4]: an unsigned operand of F bits (F - 1 bits plus a zero sign bit). On a DSP
                    // block, when the delta sum fits every family's block operand (16 bits: SB_MAC16), the block
                    // multiplies the sum as read, not its saturation: both operands come straight from the stage-2
                    // registers, so only a route stands in front of the multiplier's 2.6 ns setup (gsat's three
                    // LUTs and their routes into the block were the routed anchor network's slowest path, 11.0
                    // ns). (The ECP5 flow leaves these registers in the fabric: loaded from the delta memory's
                    // multiplexers, as the block's input registers they would join those to the route to the
                    // block.) The saturation is applied to the
                    // product instead: sat(g) differs from g only when g is out of range, and then
                    // a' * sat(g) = a' * MAX = a' 2^(W-1) - a' or a' * MIN = -a' 2^(W-1), made from a' in stage 3
                    // beside the block; in range, a' * g fits 2W bits and is the block's product. Exact either way.
                    // The rounding and saturation end in a register of their own (dr4) beside the block: d5 reaches
                    // every UP and BP lane of the group (128 multipliers on the anchor network's junction 1, spread
                    // over the device), and its copies (one per 32 loads, verify/fpga.py) are loaded from dr4 with
                    // no logic between (the routed anchor network's slowest path was once the rounding's carry chain
                    // and 9.4 ns of routing to a far copy of d5)
                    /* verilator lint_off UNUSEDSIGNAL */
                    // (the product's bits above 2W - 1 and the sum's low bits are not needed)
                    wire signed [W+RBPW-1:0] dpu3;
                    wire [XW-1:0] gx = {{(XW-RBPW){gs2[RBPW-1]}}, gs2};
                    /* verilator lint_on UNUSEDSIGNAL */
                    wire [2*W-1:0] dqx = {{W{1'b0}}, dq2};
                    reg             ov3;
                    reg  [2*W-1:0]  sp3;
                    reg  [W-1:0]    dr4;
                    sg_mul #(.AW(W), .BW(RBPW), .DSP(1), .LAT(1)) mul_ds (
                        .clk(clk), .ce(ce), .a(dq2), .b(gs2), .p(dpu3));
                    always @(posedge clk) begin
                        if (ce) begin
                            ov3 <= !(&gx[XW-1:W-1] || ~|gx[XW-1:W-1]);
                            sp3 <= gs2[RBPW-1] ? -(dqx << (W - 1)) : (dqx << (W - 1)) - dqx;
                            dr4 <= f_rs(ov3 ? sp3 : dpu3[2*W-1:0]);
                            d5[g*W +: W] <= dr4;
                        end
                    end
                end else if (g < OT_DSP) begin : g_sig_d
                    // a delta sum wider than 16 bits: its saturation (gsat, two LUT levels) in front of the block,
                    // the product in one clock (the block's output register in stage 3), then dr4 as above
                    wire signed [W-1:0] gsat = f_sat({{(XW-RBPW){gs2[RBPW-1]}}, gs2});
                    wire signed [2*W-1:0] dp3;
                    reg  [W-1:0]          dr4;
                    sg_mul #(.AW(W), .BW(W), .DSP(1), .LAT(1)) mul_ds (
                        .clk(clk), .ce(ce), .a(dq2), .b(gsat), .p(dp3));
                    always @(posedge clk) begin
                        if (ce) begin
                            dr4 <= f_rs(dp3);
                            d5[g*W +: W] <= dr4;
                        end
                    end
                end else begin : g_sig_l
                    // a logic multiplier takes two clocks (a register level in its adder tree)
                    wire signed [W-1:0] gsat = f_sat({{(XW-RBPW){gs2[RBPW-1]}}, gs2});
                    wire signed [2*W-1:0] dp4;
                    sg_mul #(.AW(W), .BW(W), .DSP(0), .LAT(2)) mul_ds (
                        .clk(clk), .ce(ce), .a(dq2), .b(gsat), .p(dp4));
                    always @(posedge clk) if (ce) d5[g*W +: W] <= f_rs(dp4);
                end
            end
        end else begin : g_nodelta
            always @(posedge clk) if (ce) d5 <= {(Q*W){1'b0}};
        end
    endgenerate
    // the delta memory reads one clock ahead: at the cycle start and in every stage-0 clock but the cycle's last
    assign rd_en = (cyc_start || (v0 && c0 != C_LAST_I[CB-1:0])) && (TRAIN != 0) && (LAST == 0);
    // rd_adv = v0 && last0 as a register, loaded one clock ahead from v0's and k0's next values (it reaches every
    // bank of the left delta memory's natural reader; checked in simulation)
    reg rd_adv_q;
    always @(posedge clk) begin
        if (rst) rd_adv_q <= 1'b0;
        else if (ce) begin
            if (cyc_start) rd_adv_q <= (CPN_LAST_I == 0);
            else if (!v0 || c0 == C_LAST_I[CB-1:0]) rd_adv_q <= 1'b0;
            else rd_adv_q <= last0 ? (CPN_LAST_I == 0) : (k0 + 1'b1 == CPN_LAST_I[KB-1:0]);
        end
    end
    assign rd_adv = rd_adv_q;
`ifndef SYNTHESIS
    always @(posedge clk) begin
        if (!rst && rd_adv_q !== (v0 && last0)) begin
            $display("sg_junction %m: rd_adv %b differs from v0 && last0", rd_adv_q);
            $fatal(1, "sg_junction rd_adv");
        end
    end
`endif

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

    // ================= S2: left data; FF products (registered in stage 3) =================
    reg [Z*W-1:0]  w2, w3, w4, w5, w6, w7;
    /* verilator lint_off UNUSEDSIGNAL */
    // (unused with a built-in learning-rate shift, LR_K >= 0, whose update is made in stage 8; synthesis drops them)
    reg [Z*W-1:0]  w8, w9;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [Q*W-1:0]  b2, b3, b4, b5, b6;
    /* verilator lint_off UNUSEDSIGNAL */
    // (the bank permutation is used only with memory dither, and by the simulation-only clash check)
    reg [Z*LB-1:0] perm2, binv2, binv3, binv4, binv5, binv6, binv7, binv8;
    /* verilator lint_on UNUSEDSIGNAL */
    reg [Z*RB-1:0] row2, row3, row4, row5, row6, row7, row8;
    always @(posedge clk) begin
        if (ce) begin
            w2 <= wq;
            w3 <= w2;
            w4 <= w3;
            w5 <= w4;
            w6 <= w5;
            w7 <= w6;
            w8 <= w7;
            w9 <= w8;
            b2 <= bq;
            b3 <= b2;
            b4 <= b3;
            b5 <= b4;
            b6 <= b5;
            perm2 <= permq;
            binv2 <= binvq;
            binv3 <= binv2;
            binv4 <= binv3;
            binv5 <= binv4;
            binv6 <= binv5;
            binv7 <= binv6;
            binv8 <= binv7;
            row2 <= lrd_row;
            row3 <= row2;
            row4 <= row3;
            row5 <= row4;
            row6 <= row5;
            row7 <= row6;
            row8 <= row7;
        end
    end

    // per lane: the left data registered (stage 3), FF product (stage 5), rounded and saturated (stage 6); the UP
    // activation's real bits, delayed to stage 5
    wire [Z*2*W-1:0]    pf5;
    reg  [Z*W-1:0]      pr6;
    /* verilator lint_off UNUSEDSIGNAL */
    // (unused in inference)
    reg  [Z*A_BITS-1:0] aup3, aup4, aup5;
    /* verilator lint_on UNUSEDSIGNAL */
    generate
        for (k = 0; k < Z; k = k + 1) begin : g_lane
            // the lane's bank: k, or with memory dither the sweep's permutation (a crossbar, written as a
            // multiplexer over constant slices)
            /* verilator lint_off UNUSEDSIGNAL */
            // (only bits A_SH .. A_SH + A_BITS - 1 can be set)
            reg [W-1:0] aff, aup;
            /* verilator lint_on UNUSEDSIGNAL */
            if (MD != 0) begin : g_xbar
                wire [LB-1:0] bank = perm2[k*LB +: LB];
                integer bi;
                always @* begin
                    aff = lff_data[W-1:0];
                    aup = lup_data[W-1:0];
                    for (bi = 0; bi < Z; bi = bi + 1)
                        if (bank == bi[LB-1:0]) begin
                            aff = lff_data[bi*W +: W];
                            aup = lup_data[bi*W +: W];
                        end
                end
            end else begin : g_direct
                always @* begin
                    aff = lff_data[k*W +: W];
                    aup = lup_data[k*W +: W];
                end
            end
            reg [A_BITS-1:0] aff3;
            wire signed [AXW+W-1:0] pfx;
            sg_mul #(.AW(W), .BW(AXW), .DSP((k < FF_DSP) ? 1 : 0), .LAT(2)) mul_ff (
                .clk(clk), .ce(ce), .a(w3[k*W +: W]), .b({1'b0, aff3}), .p(pfx));
            wire signed [2*W-1:0] pfe = {{(W-AXW+1){pfx[AXW+W-1]}}, pfx[AXW+W-2:0]};
            assign pf5[k*2*W +: 2*W] = pfe <<< A_SH;
            always @(posedge clk) begin
                if (ce) begin
                    aff3 <= aff[A_SH +: A_BITS];
                    pr6[k*W +: W] <= f_rs(pf5[k*2*W +: 2*W]);
                    aup3[k*A_BITS +: A_BITS] <= aup[A_SH +: A_BITS];
                    aup4[k*A_BITS +: A_BITS] <= aup3[k*A_BITS +: A_BITS];
                    aup5[k*A_BITS +: A_BITS] <= aup4[k*A_BITS +: A_BITS];
                end
            end
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
        if (ce && ve[1] && clash) begin
            $display("sg_junction %0d: ERROR: bank clash: two lanes read bank %0d at clock %0d", JIDX, clash_bank,
                     tags[(2-1)*TGW + TF_C +: CB]);
            $finish;
        end
    end
`endif

    // ================= BP and UP (stages 5 .. SUW) =================
    // BP: product mul(d, w) over two clocks, registered in stage 7, rounded and saturated in stage 8 = the
    // contribution sent to the left delta memory (lane -> bank). UP: product d a in stage 7; u = 2^(sh-1) - d a in
    // stage 8 (sh = F + k, one subtraction); rnd(-d a, sh) = floor(floor(u / 2^F) / 2^k) in stage 9: a fixed shift by
    // F, then a shift by k only (0 when sh >= 2W: |d a| <= 2^(2W-2)), on 2W - F + 2 bits; sat(w + rnd) in stage 10,
    // written back. Bias: -d + 2^(k-1) in stage 6, its shift by k in stage 7, sat(b + rnd) in stage 8, written back.
    localparam integer KS = 2 * W - F;                     // shifts by k = 0 .. KS - 1 (k >= KS gives 0)
    localparam integer KS_I = KS;
    localparam integer KSB = $clog2(KS);
    localparam integer URW = UW - F;                       // floor(u / 2^F): the bits F .. UW - 1 of u
    reg [Z*W-1:0]   pbs8;
    // the shift amounts and rounding constants, from the BP/UP slot's learning-rate shift k in the tag of the edge
    // that uses them, each registered one stage before its use: 2^(sh-1) (sh = F + k) for u in stage 8 (half_r),
    // k and sh >= 2W for the shift in stage 9 (ks_r, shz_r)
    /* verilator lint_off UNUSEDSIGNAL */
    // (not used with a built-in shift, LR_K >= 0)
    wire [UW-1:0]   half_r;
    wire [KSB-1:0]  ks_r;
    wire            shz_r;
    /* verilator lint_on UNUSEDSIGNAL */
    localparam integer LRK_I = (LR_K >= 0) ? LR_K : 0;
    localparam [4:0] LRK = LRK_I[4:0];
    // 2^(sh-1) = 2^(F-1) << k, and sh >= 2W iff k >= KS = 2W - F: a shifter and a comparison with a constant on
    // the 5 bits of k, no adder
    localparam [UW-1:0] HALF_F = {{(UW-1){1'b0}}, 1'b1} << (F - 1);
    generate
        if (LR_K >= 0) begin : g_lrk_fixed
            // a built-in shift: constants (no register, so that synthesis sees the shifts below as wiring)
            assign ks_r = LRK[KSB-1:0];
            assign shz_r = (LRK_I >= KS_I);
            assign half_r = (LRK_I >= KS_I) ? {UW{1'b0}} : (HALF_F << LRK_I);
        end else begin : g_lrk_sample
            wire [4:0] k_6 = tags[(6-1)*TGW + TF_SH +: 5];
            wire [4:0] k_7 = tags[(7-1)*TGW + TF_SH +: 5];
            reg [UW-1:0]  h;
            reg [KSB-1:0] ks;
            reg           sz;
            always @(posedge clk) begin
                if (ce) begin
                    ks <= k_7[KSB-1:0];
                    sz <= ({2'b00, k_7} >= KS_I[6:0]);
                    h <= ({2'b00, k_6} >= KS_I[6:0]) ? {UW{1'b0}} : (HALF_F << k_6);
                end
            end
            assign ks_r = ks;
            assign shz_r = sz;
            assign half_r = h;
        end
    endgenerate
    generate
        for (k = 0; k < Z; k = k + 1) begin : g_bu
            localparam integer GRP = k / GS;
            /* verilator lint_off UNUSEDSIGNAL */
            // (unused in inference)
            wire signed [W-1:0] dv = d5[GRP*W +: W];
            /* verilator lint_on UNUSEDSIGNAL */
            wire signed [2*W-1:0] pu7;
            if (HAS_BP != 0) begin : g_bp
                wire signed [2*W-1:0] pb7;
                sg_mul #(.AW(W), .BW(W), .DSP((k < BP_DSP) ? 1 : 0), .LAT(2)) mul_bp (
                    .clk(clk), .ce(ce), .a(dv), .b(w5[k*W +: W]), .p(pb7));
                always @(posedge clk) if (ce) pbs8[k*W +: W] <= f_rs(pb7);
            end else begin : g_nobp
                always @(posedge clk) if (ce) pbs8[k*W +: W] <= {W{1'b0}};
            end
            if (TRAIN != 0) begin : g_up
                wire signed [AXW+W-1:0] pux;
                sg_mul #(.AW(W), .BW(AXW), .DSP((k < UP_DSP) ? 1 : 0), .LAT(2)) mul_up (
                    .clk(clk), .ce(ce), .a(dv), .b({1'b0, aup5[k*A_BITS +: A_BITS]}), .p(pux));
                wire signed [2*W-1:0] pue = {{(W-AXW+1){pux[AXW+W-1]}}, pux[AXW+W-2:0]};
                assign pu7 = pue <<< A_SH;
            end else begin : g_noup
                assign pu7 = {(2*W){1'b0}};
            end
            wire signed [UW-1:0] pux7 = {{(UW-2*W){pu7[2*W-1]}}, pu7};
            if (LR_K >= 0) begin : g_upk
                // a built-in shift SH = F + k: rnd(-P, SH) = -(floor(P / 2^SH) + c) with c = 1 iff the low SH bits
                // of P are above one half (P[SH-1] and a bit below it), so sat(w + rnd) = sat(w + ~floor(P / 2^SH)
                // + !c): one adder whose carry input is !c (its LSB position below: {w, 1} + {~ph, !c}). No
                // subtraction, no shifter. SH >= 2W: rnd = 0 (|P| <= 2^(2W-2)), i.e. ph = 0 and !c = 1. With
                // nothing left to do in stages 8 and 9, the new weight is made in stage 8 from the product and the
                // weight of stage 7, and only its W bits travel on to the write-back of stage 10 (w8, w9 and the
                // rounded product's registers are not needed: 30 fewer flip-flops per lane)
                localparam integer SHK = F + LRK_I;
                localparam integer SHC = (SHK < 2 * W) ? SHK : 2 * W - 1;
                localparam [UW-1:0] LOWM = ({{(UW-1){1'b0}}, 1'b1} << (SHC - 1)) - 1'b1;
                /* verilator lint_off UNUSEDSIGNAL */
                // (the bits of P below SH only decide c)
                wire signed [UW-1:0] pq = pux7 >>> SHC;
                /* verilator lint_on UNUSEDSIGNAL */
                wire signed [URW-1:0] ph = (SHK >= 2 * W) ? {URW{1'b0}} : pq[URW-1:0];
                wire                  c = (SHK < 2 * W) && pux7[SHC-1] && ((pux7 & LOWM) != {UW{1'b0}});
                wire signed [URW-1:0] nph = ~ph;
                wire signed [W-1:0]   wv7 = w7[k*W +: W];
                /* verilator lint_off UNUSEDSIGNAL */
                // (its LSB only makes the carry)
                wire signed [URW+1:0] wsc = {{(URW+1-W){wv7[W-1]}}, wv7, 1'b1} + {nph[URW-1], nph, !c};
                /* verilator lint_on UNUSEDSIGNAL */
                wire signed [URW:0]   wsum = wsc[URW+1:1];
                reg  [W-1:0]          wn8, wn9;
                always @(posedge clk) begin
                    if (ce) begin
                        wn8 <= f_sat({{(XW-URW-1){wsum[URW]}}, wsum});
                        wn9 <= wn8;
                        wn_w[k*W +: W] <= wn9;
                    end
                end
            end else begin : g_upv
                wire signed [W-1:0]  wv = w9[k*W +: W];
                reg [UW-1:0]  un8;
                reg [URW-1:0] ur9;
                /* verilator lint_off UNUSEDSIGNAL */
                // (the low F bits of u only decide the floor, through the subtraction's carry)
                wire signed [UW-1:0] un = un8;
                /* verilator lint_on UNUSEDSIGNAL */
                wire signed [URW-1:0] uf = un[UW-1:F];
                wire signed [URW-1:0] urs = uf >>> ks_r;
                wire signed [URW-1:0] ur = ur9;
                wire signed [URW:0]  wsum = {{(URW+1-W){wv[W-1]}}, wv} + {ur[URW-1], ur};
                always @(posedge clk) begin
                    if (ce) begin
                        un8 <= $signed(half_r) - pux7;
                        ur9 <= shz_r ? {URW{1'b0}} : urs;
                        wn_w[k*W +: W] <= f_sat({{(XW-URW-1){wsum[URW]}}, wsum});
                    end
                end
            end
        end
    endgenerate
    // bias: rnd(-d, k) = (-d + 2^(k-1)) >>> k, which is 0 for every k > W (|d| <= 2^(W-1)): W + 2 bits suffice
    localparam integer BXW = W + 2;
    reg [Q*BXW-1:0] bu6, br7;
    wire [BXW-1:0]  bhalf_r;
    wire [4:0]      bk_r;
    wire            bz_r;
    reg [Q*W-1:0]   b7;
    // from the tag, one stage before use: 2^(k-1) for stage 6 (bhalf_r), k and k > W for stage 7 (bk_r, bz_r)
    always @(posedge clk) if (ce) b7 <= b6;
    generate
        if (LR_K >= 0) begin : g_blrk_fixed
            localparam integer BH = (LRK_I == 0 || LRK_I > W_I) ? 0 : LRK_I - 1;  // 2^(k-1), or no constant
            assign bk_r = LRK;
            assign bz_r = (LRK_I > W_I);
            assign bhalf_r = (LRK_I == 0 || LRK_I > W_I) ? {BXW{1'b0}} : ({{(BXW-1){1'b0}}, 1'b1} << BH);
        end else begin : g_blrk_sample
            wire [4:0] k_4 = tags[(4-1)*TGW + TF_SH +: 5];
            wire [4:0] k_5 = tags[(5-1)*TGW + TF_SH +: 5];
            reg [4:0]     bk;
            reg           bz;
            reg [BXW-1:0] bh;
            always @(posedge clk) begin
                if (ce) begin
                    bk <= k_5;
                    bz <= (k_5 > W_I[4:0]);
                    bh <= (k_4 == 5'd0 || k_4 > W_I[4:0]) ? {BXW{1'b0}} : ({{(BXW-1){1'b0}}, 1'b1} << (k_4 - 5'd1));
                end
            end
            assign bk_r = bk;
            assign bz_r = bz;
            assign bhalf_r = bh;
        end
    endgenerate
`ifndef SYNTHESIS
    // a built-in shift takes only samples that use it
    always @(posedge clk) begin
        if (!rst && ce && LR_K >= 0 && bu_on && bu_shift != LRK) begin
            $display("sg_junction %m: a training sample with learning-rate shift %0d, but the hardware's shift is built in as %0d (learning_rate.fixed)",
                     bu_shift, LR_K);
            $fatal(1, "sg_junction: learning-rate shift differs from the built-in one");
        end
    end
`endif
    generate
        for (g = 0; g < Q; g = g + 1) begin : g_bupd
            wire signed [BXW-1:0] dn = -{{2{d5[g*W+W-1]}}, d5[g*W +: W]};
            wire signed [BXW-1:0] bu = bu6[g*BXW +: BXW];
            wire signed [BXW-1:0] bsh = bu >>> bk_r;
            wire signed [BXW-1:0] brv = br7[g*BXW +: BXW];
            wire signed [W-1:0]   bv = b7[g*W +: W];
            wire signed [BXW:0]   bsum = {{(BXW+1-W){bv[W-1]}}, bv} + {brv[BXW-1], brv};
            always @(posedge clk) begin
                if (ce) begin
                    bu6[g*BXW +: BXW] <= dn + $signed(bhalf_r);
                    br7[g*BXW +: BXW] <= bz_r ? {BXW{1'b0}} : bsh;
                    bn_w[g*W +: W] <= f_sat({{(XW-BXW-1){bsum[BXW]}}, bsum});
                end
            end
        end
    endgenerate

    // BP contributions, routed from lanes to banks (stage 8)
    generate
        for (m = 0; m < Z; m = m + 1) begin : g_bp
            if (MD != 0) begin : g_xbar
                wire [LB-1:0] lane = binv8[m*LB +: LB];
                reg  [W-1:0]  bv;
                integer li;
                always @* begin
                    bv = pbs8[W-1:0];
                    for (li = 0; li < Z; li = li + 1)
                        if (lane == li[LB-1:0]) bv = pbs8[li*W +: W];
                end
                assign bp_val[m*W +: W] = bv;
            end else begin : g_direct
                assign bp_val[m*W +: W] = pbs8[m*W +: W];
            end
        end
    endgenerate
    assign bp_en = ve[SBV-1] && bu_bv && (HAS_BP != 0);
    assign bp_first = (tags[(SBV-1)*TGW + TF_S +: SB] == {SB{1'b0}});
    assign bp_row = row8;

    // ================= FF: adder tree (stages 5 .. ST, one level per clock), accumulator (SA) =================
    wire [Q*ACCW-1:0] tsum;
    generate
        for (g = 0; g < Q; g = g + 1) begin : g_tree
            sg_addtree #(.N(GS), .IW(W), .OW(ACCW), .REG(1)) tree (
                .clk(clk), .ce(ce), .in(pr6[g*GS*W +: GS*W]), .out(tsum[g*ACCW +: ACCW]));
        end
    endgenerate
    // the bias read in the neuron's first clock, delayed to stage ST
    reg [(ST-1)*Q*W-1:0] bd;
    always @(posedge clk) if (ce) bd <= {bd[(ST-2)*Q*W-1:0], bq};
    wire [Q*W-1:0] bias_t = bd[(ST-2)*Q*W +: Q*W];
    // acc = b + sum of the tree sums over the neuron's clocks (exact: d_in + 1 values of W bits)
    reg [Q*ACCW-1:0] acc;
    integer ag;
    always @(posedge clk) begin
        if (ce && ve[ST-1]) begin
            for (ag = 0; ag < Q; ag = ag + 1)
                acc[ag*ACCW +: ACCW] <= (tags[(ST-1)*TGW + TF_FIRST] ? {{(ACCW-W){bias_t[ag*W+W-1]}}, bias_t[ag*W +: W]}
                                                       : acc[ag*ACCW +: ACCW]) + tsum[ag*ACCW +: ACCW];
        end
    end

    // ================= SS: s = sat(acc); the sigmoid table read at the index clamp(acc >> R) =================
    reg           vs;
    reg [Q*W-1:0] s_s;
    /* verilator lint_off UNUSEDSIGNAL */
    // (the table index is unused by relu)
    wire [Q*SIG_T-1:0] ia_a;
    /* verilator lint_on UNUSEDSIGNAL */
    always @(posedge clk) begin
        if (rst) vs <= 1'b0;
        else if (ce) vs <= ve[SA-1] && tags[(SA-1)*TGW + TF_LAST];
    end
    generate
        for (g = 0; g < Q; g = g + 1) begin : g_s
            wire signed [ACCW-1:0] av = acc[g*ACCW +: ACCW];
            // i = clamp(s >> R) = clamp(acc >> R): the table range lies inside the format's, so saturating first
            // changes nothing. The index goes to the table ROM straight from the accumulator register (the ROM's
            // address register is the stage), so the table's read data can be registered before it is used. In range
            // iff the bits from T - 1 up are all equal (no comparator carry chain), else the end of the range.
            wire signed [ACCW-1:0] si = av >>> SIG_R;
            wire                   inr = &si[ACCW-1:SIG_T-1] || ~|si[ACCW-1:SIG_T-1];
            wire [SIG_T-1:0]       ic = inr ? si[SIG_T-1:0] : si[ACCW-1] ? {1'b1, {(SIG_T-1){1'b0}}}
                                                                         : {1'b0, {(SIG_T-1){1'b1}}};
            assign ia_a[g*SIG_T +: SIG_T] = {~ic[SIG_T-1], ic[SIG_T-2:0]};
            always @(posedge clk) if (ce) s_s[g*W +: W] <= f_sat({{(XW-ACCW){av[ACCW-1]}}, av});
        end
    endgenerate

    // ================= SX: activation =================
    wire [Q*W-1:0] a_x;
    generate
        for (g = 0; g < Q; g = g + 1) begin : g_act
            if (ACT == 1) begin : g_relu
                wire signed [W-1:0] sv = s_s[g*W +: W];
                reg [W-1:0] ar;
                always @(posedge clk) if (ce) ar <= sv[W-1] ? {W{1'b0}} : sv;
                assign a_x[g*W +: W] = ar;
            end else begin : g_sig
                // table address i + 2^(T-1), read in stage SS; the read data registered (SX)
                wire [W-1:0] a_t;
                reg  [W-1:0] ax;
                sg_rom #(.WIDTH(W), .DEPTH(1 << SIG_T), .AW(SIG_T), .INIT_FILE(SIG_INIT)) sig_rom (
                    .clk(clk), .ce(ce), .re(1'b1), .addr(ia_a[g*SIG_T +: SIG_T]), .data(a_t));
                always @(posedge clk) if (ce) ax <= a_t;
                assign a_x[g*W +: W] = ax;
            end
        end
    endgenerate

    // prediction (last junction): running argmax of s over the first CLASSES outputs, lowest index on ties
    reg [LBW-1:0]        best_i, pred_w;
    reg signed [W-1:0]   best_s;
    reg [LBW-1:0]        nb_i;
    reg signed [W-1:0]   nb_s;
    // (32-bit neuron and label numbers: in a junction other than the last, N may be smaller than CLASSES, which
    // counts the last layer's outputs; only the last junction's prediction and output deltas are used)
    /* verilator lint_off UNUSEDSIGNAL */
    reg [31:0]           pr;
    /* verilator lint_on UNUSEDSIGNAL */
    wire [NB-1:0]        r0_s = tags[(SS-1)*TGW + 0 +: NB];
    integer pg;
    always @* begin
        nb_i = best_i;
        nb_s = best_s;
        for (pg = 0; pg < Q; pg = pg + 1) begin
            pr = {{(32-NB){1'b0}}, r0_s} + pg;
            if (pr < CLASSES_I && ((r0_s == {NB{1'b0}} && pg == 0) || $signed(s_s[pg*W +: W]) > nb_s)) begin
                nb_s = s_s[pg*W +: W];
                nb_i = pr[LBW-1:0];
            end
        end
    end
    always @(posedge clk) begin
        if (ce) begin
            if (vs) begin
                best_i <= nb_i;
                best_s <= nb_s;
            end
            pred_w <= best_i;
        end
    end

    // ================= SW: a', output delta, writes =================
    reg vx, vw;
    always @(posedge clk) begin
        if (rst) begin
            vx <= 1'b0;
            vw <= 1'b0;
        end else if (ce) begin
            vx <= vs;
            vw <= vx;
        end
    end
    always @(posedge clk) if (ce) a_w <= a_x;
    wire [NB-1:0] r0_x = tags[(SX-1)*TGW + 0 +: NB];
    generate
        for (g = 0; g < Q; g = g + 1) begin : g_out
            localparam integer G_I = g;
            wire signed [W-1:0] av = a_x[g*W +: W];
            wire               apos = !av[W-1] && (av != {W{1'b0}});
            // target y = ONE for the label's neuron
            wire               is_lab = (({{(32-NB){1'b0}}, r0_x} + G_I) == {{(32-LBW){1'b0}}, lab_x});
            wire signed [W+1:0] ov = {{2{av[W-1]}}, av} - (is_lab ? {2'b00, ONE} : {(W+2){1'b0}});
            wire signed [W-1:0] osat = f_sat({{(XW-W-2){ov[W+1]}}, ov});
            always @(posedge clk) begin
                if (ce) o_w[g*W +: W] <= (ACT == 1 && !apos) ? {W{1'b0}} : osat;
            end
            if (ACT == 1) begin : g_drelu
                assign d_w[g] = !a_w[g*W+W-1] && (a_w[g*W +: W] != {W{1'b0}});
            end else if (TRAIN != 0 && LAST == 0) begin : g_dsig
                // a' = mul(a, ONE - a) = a + floor((2^(F-1) - a^2) / 2^F) (a in [0, ONE]: never saturates): the
                // square a^2 is registered in stage SW, the rest feeds the derivative memory's write port
                wire signed [2*W-1:0] sq;
                sg_mul #(.AW(W), .BW(W), .DSP((Q + g < OT_DSP) ? 1 : 0)) mul_d (.clk(clk), .ce(ce), .a(av), .b(av), .p(sq));
                wire signed [2*W-1:0] hsq = $signed({{(2*W-F){1'b0}}, 1'b1, {(F-1){1'b0}}}) - sq;
                wire signed [2*W-1:0] hsh = hsq >>> F;
                wire signed [2*W-1:0] ax = {{W{a_w[g*W+W-1]}}, a_w[g*W +: W]};
                /* verilator lint_off UNUSEDSIGNAL */
                // (a' < 2^(W-1): only the low DW bits are stored)
                wire signed [2*W-1:0] dd = ax + hsh;
                /* verilator lint_on UNUSEDSIGNAL */
                assign d_w[g*DW +: DW] = dd[DW-1:0];
            end else begin : g_dnone
                assign d_w[g*DW +: DW] = {DW{1'b0}};
            end
        end
    endgenerate
    assign ro_en = vw && ff_w && (LAST == 0);
    assign ro_act = a_w;
    assign res_valid = vw && ff_w && (LAST != 0);
    // vw and the slot's FF flag one stage earlier (SW - 1 >= 1: the tag of stage SW - 1 moves to SW with ce)
    wire ff_x = tags[(SW-2)*TGW + TF_FF];
    assign res_valid_next = (LAST != 0) && (ce ? (vx && ff_x) : (vw && ff_w));
    assign res_last = ((tags[(SW-1)*TGW + 0 +: NB] + Q_I[NB-1:0]) == N_I[NB-1:0]);
    assign res_data = a_w;
    assign res_pred = pred_w;
endmodule
`default_nettype wire
