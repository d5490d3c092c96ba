`default_nettype none
// sg_delta_mem: the back-propagated delta sums g_x of one layer h (1 <= h < J), at full width (exact sums),
// banked like the layer's activations for junction h + 1: neuron x in bank x mod BANKS, row x / BANKS.
// NC = g + 1 physical RAMs per bank, one per copy (g = 1: ping-pong; g = 2, overlapped cycles: three): in each
// junction cycle one of them is accumulated by the BP of junction h + 1 (read-modify-write, one row per bank per
// clock, interleaved order) and the one filled g cycles earlier is read by junction h in natural order (Q neurons
// per read). The read copy rotates at the cycle start, the accumulated copy at rmw_cyc (the cycle start delayed to
// the BP's stage: with overlapped cycles the last contributions of a cycle arrive in the first clocks of the next,
// and go to their own cycle's copy, which travels with them).
// Every RAM's read data is registered once more, right behind the RAM and before any multiplexer (qr; on the ECP5
// the DP16KD's own output register takes it, so the data leaves the block 0.96 ns after the clock instead of 5.8
// ns); in LUT RAM (RAM_STYLE 2) the read address is registered instead and the RAM read asynchronously behind it
// (sg_ram AREG), so the logic that chooses the address (the reader's position, the copy, the read-modify-write's
// row) ends in flip-flops, not in every data bit's read register. Read-modify-write: the RAM read (X, where the copy and forwarding choices are made into one-hot selects), its
// data in qr (Y), the sum (one AND-OR level, adder) and its write; with overlapped cycles (NC = 3) the sum is registered in l1 and written from there one clock
// later. A row accessed again one, two (or three) clocks later would read a stale sum, so the last three sums are
// forwarded (the newest first): any revisit distance >= 1 is exact (SG_DELTA_RMW_DISTANCE = 1 in gen/plan.h). The natural reader issues its reads one clock ahead (rd_en: the
// neurons that stage 0 of the junction will hold in the next clock), so its data still reaches the junction one
// clock after stage 0.
module sg_delta_mem #(
    // banks = z of junction h + 1
    parameter integer BANKS = 4,
    // rows = p / z of junction h + 1
    parameter integer ROWS = 2,
    // sum width: W + clog2(d_out + 1) of junction h + 1
    parameter integer BW = 14,
    // contribution width
    parameter integer W = 12,
    // neurons per natural-order read (q of junction h)
    parameter integer Q = 1,
    // row bits: max(1, clog2(ROWS))
    parameter integer RB = 1,
    // copies g + 1 (gen/plan.h sg_delta_copies): 2, or 3 with overlapped cycles
    parameter integer NC = 2,
    // RAM style for sg_ram (1 block, 2 distributed, 0 auto)
    parameter integer RAM_STYLE = 1
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                ce,
    input  wire                cyc_start,
    // high in the clock before the first contribution of a cycle could arrive: rotates the accumulated copy
    input  wire                rmw_cyc,
    // read-modify-write (BP of junction h + 1): add val to the sum at row (first: start from zero)
    input  wire                rmw_en,
    input  wire                rmw_first,
    input  wire [BANKS*RB-1:0] rmw_row,
    input  wire [BANKS*W-1:0]  rmw_val,
    // natural-order read (junction h): rd_en (one clock ahead of the junction's stage 0: cyc_start, or a stage-0
    // read that is not the cycle's last) reads the Q neurons that stage 0 holds in the next clock; rd_adv (stage
    // 0) moves to the next Q neurons after this clock; rd_data holds the neurons of the previous clock's stage 0
    input  wire                rd_en,
    input  wire                rd_adv,
    output reg  [Q*BW-1:0]     rd_data
);
    localparam integer AW = RB;
    // the sum written from a register (l1) one clock after the adder: only with overlapped cycles (NC = 3)
    localparam WREG = (NC > 2);
    localparam integer BB = (BANKS > 1) ? $clog2(BANKS) : 1;
    localparam integer Q_I = Q;
    localparam integer BANKS_I = BANKS;

    initial begin
        if (BANKS < 1 || ROWS < 1 || Q < 1 || Q > BANKS || BW < W || RB != ((ROWS > 1) ? $clog2(ROWS) : 1) ||
            NC < 2 || NC > 3) begin
            $display("sg_delta_mem: illegal parameters BANKS=%0d ROWS=%0d BW=%0d W=%0d Q=%0d RB=%0d NC=%0d",
                     BANKS, ROWS, BW, W, Q, RB, NC);
            $finish;
        end
    end

    // acc: the copy accumulated (by contributions entering now); rdc: the copy read (filled g cycles ago: acc + 1
    // mod NC, both taken at the same cycle's start); each rotates by one per cycle
    localparam integer NCL_I = NC - 1;
    localparam [1:0] NCL = NCL_I[1:0];
    reg [1:0] acc, rdc, rdc_d;
    function [1:0] cnext;
        input [1:0] c;
        begin
            cnext = (c == NCL) ? 2'd0 : c + 2'd1;
        end
    endfunction
    // natural reader position (bank and row of its first neuron); the bank of each of the Q neurons of a read,
    // registered with the read ((rb0 + g) mod BANKS, so no adder sits between the RAMs' read data and the reader)
    reg [BB-1:0] rb0;
    reg [Q*BB-1:0] rbg_d;
    reg [RB-1:0] rrow0;
    // the position after the next advance (registered, so that the look-ahead read's row is one multiplexer away)
    reg [BB-1:0] rb1;
    reg [RB-1:0] rrow1;
    function [BB+RB-1:0] adv;
        input [BB-1:0] b;
        input [RB-1:0] r;
        begin
            if ({1'b0, b} + Q_I[BB:0] >= BANKS_I[BB:0]) adv = {b + Q_I[BB-1:0] - BANKS_I[BB-1:0], r + 1'b1};
            else adv = {b + Q_I[BB-1:0], r};
        end
    endfunction
    localparam [BB+RB-1:0] ADV0 = adv({BB{1'b0}}, {RB{1'b0}});
    // read-modify-write pipeline: stage X holds the access whose RAM read was issued in the previous clock, stage Y
    // the one before it (its read data registered); each with its copy
    reg               x_en, x_first, y_en;
    reg [1:0]         x_c, y_c;
    reg [BANKS*RB-1:0] x_row, y_row;
    reg [BANKS*W-1:0]  x_val, y_val;

    always @(posedge clk) begin
        if (rst) begin
            acc <= NCL;
            rdc <= 2'd0;
            rb0 <= {BB{1'b0}};
            rrow0 <= {RB{1'b0}};
            {rb1, rrow1} <= ADV0;
            x_en <= 1'b0;
            y_en <= 1'b0;
        end else if (ce) begin
            x_en <= rmw_en;
            y_en <= x_en;
            if (rmw_cyc) acc <= cnext(acc);
            if (cyc_start) begin
                rdc <= cnext(rdc);
                rb0 <= {BB{1'b0}};
                rrow0 <= {RB{1'b0}};
                {rb1, rrow1} <= ADV0;
            end else if (rd_adv) begin
                rb0 <= rb1;
                rrow0 <= rrow1;
                {rb1, rrow1} <= adv(rb1, rrow1);
            end
        end
    end
    always @(posedge clk) begin
        if (ce) begin
            x_first <= rmw_first;
            x_row <= rmw_row;
            x_val <= rmw_val;
            x_c <= acc;
            y_row <= x_row;
            y_val <= x_val;
            y_c <= x_c;
            // the banks and the copy of stage 0's neurons, for their data in the next clock
            rbg_d <= rbg;
            rdc_d <= rdc;
        end
    end

    // q[i]: the read data of copy i's RAMs; qr[i] the same one clock later (the block RAM's output register)
    wire [BANKS*BW-1:0] q [0:NC-1];
    reg  [BANKS*BW-1:0] qr [0:NC-1];
    // the copy that the look-ahead read reads: the read copy of the next clock
    wire [1:0] lac = cyc_start ? cnext(rdc) : rdc;
    // lac == copy, registered (the natural reader's copy of the read issued in the clock before; LUT RAM only)
    /* verilator lint_off UNUSEDSIGNAL */
    reg [NC-1:0] rsq;  // (block RAM: unused)
    /* verilator lint_on UNUSEDSIGNAL */
    integer rc;
    always @(posedge clk) if (ce) for (rc = 0; rc < NC; rc = rc + 1) rsq[rc] <= (lac == rc[1:0]);
    genvar m, ci;
    generate
        for (m = 0; m < BANKS; m = m + 1) begin : g_bank
            localparam integer M_I = m;
            // natural reader: the row this bank is read at, for the current position and the next, and the
            // look-ahead read's (the first row at a cycle start, the next position after an advance)
            /* verilator lint_off CMPCONST */
            // (the same comparison for every bank is constant for the edge banks; intended)
            wire [RB-1:0] nrow0 = (M_I[BB-1:0] < rb0) ? rrow0 + 1'b1 : rrow0;
            wire [RB-1:0] nrow1 = (M_I[BB-1:0] < rb1) ? rrow1 + 1'b1 : rrow1;
            /* verilator lint_on CMPCONST */
            wire [RB-1:0] nrow = cyc_start ? {RB{1'b0}} : rd_adv ? nrow1 : nrow0;
            // in LUT RAM the read address is registered in parts (sg_ram AREG 3): the natural reader's row (one
            // register per bank), whether the copy is the natural reader's (one per copy, rsq) and the read-modify-
            // write's row (x_row), chosen behind them by one multiplexer beside the RAM
            /* verilator lint_off UNUSEDSIGNAL */
            reg [RB-1:0] nrow_q;  // (block RAM: unused)
            /* verilator lint_on UNUSEDSIGNAL */
            always @(posedge clk) if (ce) nrow_q <= nrow;
            // read-modify-write: old sum (zero in the first sweep; else the newest of the last three sums of this
            // row and copy, if any, else the RAM's registered read data of Y's copy). A sum is written one clock
            // after it is made (from l1), so a read sees the sums made four or more clocks before its data reaches
            // Y. Every choice is made one stage ahead, in X, into registers: one-hot selects (s_l1: the sum made one
            // clock earlier, s_fw: the one made two or three clocks earlier, already chosen into fwr, s_q: the RAM
            // copy), so that Y has one AND-OR level in front of the adder and no shared select net (a copy number
            // or match bit fanning out over every bank) on the read-modify-write's path
            reg               l1_en, l2_en, s_l1, s_fw;
            reg [NC-1:0]      s_q;
            reg [1:0]         l1_c, l2_c;
            reg [RB-1:0]      l1_row, l2_row;
            reg signed [BW-1:0] l1_sum, l2_sum, fwr;
            wire [RB-1:0]     xr = x_row[m*RB +: RB];
            wire [RB-1:0]     yr = y_row[m*RB +: RB];
            // does the access in X revisit the row and copy of the sum being made now (h1), made one clock ago
            // (h2: now in l1), or two (h3: now in l2)?
            wire              h1 = y_en && yr == xr && y_c == x_c;
            wire              h2 = l1_en && l1_row == xr && l1_c == x_c;
            wire              h3 = l2_en && l2_row == xr && l2_c == x_c;
            reg signed [BW-1:0] old;
            integer           qi;
            always @* begin
                old = (l1_sum & {BW{s_l1}}) | (fwr & {BW{s_fw}});
                for (qi = 0; qi < NC; qi = qi + 1)
                    old = old | (qr[qi][m*BW +: BW] & {BW{s_q[qi]}});
            end
            wire signed [W-1:0]  val = y_val[m*W +: W];
            wire signed [BW-1:0] sum = old + {{(BW-W){val[W-1]}}, val};
            always @(posedge clk) begin
                if (rst) begin
                    l1_en <= 1'b0;
                    l2_en <= 1'b0;
                end else if (ce) begin
                    l1_en <= y_en;
                    l2_en <= l1_en;
                end
            end
            integer ci2;
            always @(posedge clk) begin
                if (ce) begin
                    s_l1 <= !x_first && h1;
                    s_fw <= !x_first && !h1 && (h2 || h3);
                    // in Y, l2_sum and l3_sum will be the l1_sum and l2_sum of now
                    fwr <= h2 ? l1_sum : l2_sum;
                    for (ci2 = 0; ci2 < NC; ci2 = ci2 + 1)
                        s_q[ci2] <= !x_first && !h1 && !h2 && !h3 && x_c == ci2[1:0];
                    l1_row <= yr;
                    l1_c <= y_c;
                    l1_sum <= sum;
                    l2_row <= l1_row;
                    l2_c <= l1_c;
                    l2_sum <= l1_sum;
                end
            end
            // the write: from l1 with overlapped cycles; else straight from the adder (a junction's cycle then
            // ends C + latency clocks after it starts, and the next cycle's first read of this copy comes only
            // one clock after its last write when the adder tree is shallow)
            wire              wr_en = WREG ? l1_en : y_en;
            wire [1:0]        wr_c = WREG ? l1_c : y_c;
            wire [RB-1:0]     wr_row = WREG ? l1_row : yr;
            wire signed [BW-1:0] wr_sum = WREG ? l1_sum : sum;
            // copy ci's RAM: read by the natural reader when it is the read copy, else by the read-modify-write
            for (ci = 0; ci < NC; ci = ci + 1) begin : g_copy
                localparam [1:0] CI = ci;
                wire rsel = (lac == CI);
                sg_ram #(.WIDTH(BW), .DEPTH(ROWS), .AW(AW), .RAM_STYLE(RAM_STYLE), .RW_OK(1),
                         .AREG(RAM_STYLE == 2 ? 3 : 0)) ram (
                    .clk(clk), .ce(ce), .we(wr_en && wr_c == CI), .waddr(wr_row), .wdata(wr_sum),
                    .re(rsel ? rd_en : (rmw_en && acc == CI)),
                    .raddr(RAM_STYLE == 2 ? (rsq[ci] ? nrow_q : xr) : (rsel ? nrow : rmw_row[m*RB +: RB])),
                    .rdata(q[ci][m*BW +: BW]));
                always @(posedge clk) if (ce) qr[ci][m*BW +: BW] <= q[ci][m*BW +: BW];
`ifndef SYNTHESIS
                // the natural reader's copy is complete: no contribution to it is pending or arriving
                always @(posedge clk) begin
                    if (!rst && ce && rsel && rd_en &&
                        ((rmw_en && acc == CI) || (x_en && x_c == CI) || (y_en && y_c == CI) || (WREG && l1_en && l1_c == CI))) begin
                        $display("sg_delta_mem %m: copy %0d read by the natural reader while a contribution to it is pending", ci);
                        $fatal(1, "sg_delta_mem read of an incomplete copy");
                    end
                end
`endif
            end
        end
    endgenerate

    // natural reader data: neuron g of the read comes from bank (rb0 + g) mod BANKS of the RAM not accumulated
    // (a multiplexer over constant slices: an index times BW would be a multiplication that synthesis could put on
    // a DSP block)
    wire [BANKS*BW-1:0] nq = (NC > 2 && rdc_d == 2'd2) ? qr[NC-1] : (rdc_d == 2'd1) ? qr[1] : qr[0];
    reg [Q*BB-1:0] rbg;
    integer g, b, bi;
    always @* begin
        for (g = 0; g < Q; g = g + 1) begin
            b = {{(32-BB){1'b0}}, rb0} + g;
            if (b >= BANKS) b = b - BANKS;
            rbg[g*BB +: BB] = b[BB-1:0];
        end
    end
    always @* begin
        rd_data = {(Q*BW){1'b0}};
        for (g = 0; g < Q; g = g + 1)
            for (bi = 0; bi < BANKS; bi = bi + 1)
                if (rbg_d[g*BB +: BB] == bi[BB-1:0]) rd_data[g*BW +: BW] = nq[bi*BW +: BW];
    end
endmodule
`default_nettype wire
