`default_nettype none
// sg_delta_mem: the back-propagated delta sums g_x of one layer h (1 <= h < J), at full width (exact sums),
// banked like the layer's activations for junction h + 1: neuron x in bank x mod BANKS, row x / BANKS.
// Two physical RAMs per bank (ping-pong): in each junction cycle one of them is accumulated by the BP of junction
// h + 1 (read-modify-write, one row per bank per clock, interleaved order) and the other, filled in the previous
// cycle, is read by junction h in natural order (Q neurons per read). The roles swap at every cycle start.
// Read-modify-write in three clocks: the RAM read (X), its data registered (Y: a block RAM's read data comes late
// in the clock, ECP5 DP16KD 5.8 ns, and the adder no longer follows it), the sum and its write. A row accessed
// again one or two clocks later would read a stale sum, so the last two writes are forwarded (the newer first):
// any revisit distance >= 1 is exact (SG_DELTA_RMW_DISTANCE = 1 in gen/plan.h). The last write of a junction cycle
// is at clock C + SBV + 1 of junction h + 1, within its depth, so the cycles still never overlap.
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
    // RAM style for sg_ram (1 block, 2 distributed, 0 auto)
    parameter integer RAM_STYLE = 1
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                ce,
    input  wire                cyc_start,
    // read-modify-write (BP of junction h + 1): add val to the sum at row (first: start from zero)
    input  wire                rmw_en,
    input  wire                rmw_first,
    input  wire [BANKS*RB-1:0] rmw_row,
    input  wire [BANKS*W-1:0]  rmw_val,
    // natural-order read (junction h): rd_en reads the current Q neurons (data one clock later),
    // rd_adv moves to the next Q neurons after this clock
    input  wire                rd_en,
    input  wire                rd_adv,
    output reg  [Q*BW-1:0]     rd_data
);
    localparam integer AW = RB;
    localparam integer BB = (BANKS > 1) ? $clog2(BANKS) : 1;
    localparam integer Q_I = Q;
    localparam integer BANKS_I = BANKS;

    initial begin
        if (BANKS < 1 || ROWS < 1 || Q < 1 || Q > BANKS || BW < W || RB != ((ROWS > 1) ? $clog2(ROWS) : 1)) begin
            $display("sg_delta_mem: illegal parameters BANKS=%0d ROWS=%0d BW=%0d W=%0d Q=%0d RB=%0d",
                     BANKS, ROWS, BW, W, Q, RB);
            $finish;
        end
    end

    // sel: the RAM of each bank that is accumulated in this cycle; the other one is read.
    reg sel;
    // natural reader position (bank and row of its first neuron); the bank of each of the Q neurons of a read,
    // registered with the read ((rb0 + g) mod BANKS, so no adder sits between the RAMs' read data and the reader)
    reg [BB-1:0] rb0;
    reg [Q*BB-1:0] rbg_d;
    reg [RB-1:0] rrow0;
    // read-modify-write pipeline: stage X holds the access whose RAM read was issued in the previous clock, stage Y
    // the one before it (its read data registered)
    reg               x_en, x_first, y_en, y_first;
    reg [BANKS*RB-1:0] x_row, y_row;
    reg [BANKS*W-1:0]  x_val, y_val;

    always @(posedge clk) begin
        if (rst) begin
            sel <= 1'b0;
            rb0 <= {BB{1'b0}};
            rrow0 <= {RB{1'b0}};
            x_en <= 1'b0;
            y_en <= 1'b0;
        end else if (ce) begin
            x_en <= rmw_en;
            y_en <= x_en;
            if (cyc_start) begin
                sel <= ~sel;
                rb0 <= {BB{1'b0}};
                rrow0 <= {RB{1'b0}};
            end else if (rd_adv) begin
                if ({1'b0, rb0} + Q_I[BB:0] >= BANKS_I[BB:0]) begin
                    rb0 <= rb0 + Q_I[BB-1:0] - BANKS_I[BB-1:0];
                    rrow0 <= rrow0 + 1'b1;
                end else begin
                    rb0 <= rb0 + Q_I[BB-1:0];
                end
            end
        end
    end
    always @(posedge clk) begin
        if (ce) begin
            x_first <= rmw_first;
            x_row <= rmw_row;
            x_val <= rmw_val;
            y_first <= x_first;
            y_row <= x_row;
            y_val <= x_val;
            if (rd_en) rbg_d <= rbg;
        end
    end

    wire [BANKS*BW-1:0] q0, q1;
    genvar m;
    generate
        for (m = 0; m < BANKS; m = m + 1) begin : g_bank
            localparam integer M_I = m;
            // natural reader: the row this bank is read at
            /* verilator lint_off CMPCONST */
            // (the same comparison for every bank is constant for the edge banks; intended)
            wire [RB-1:0] nrow = (M_I[BB-1:0] < rb0) ? rrow0 + 1'b1 : rrow0;
            /* verilator lint_on CMPCONST */
            // read-modify-write: old sum (zero in the first sweep; else the newer of the last two writes of this
            // row, if any, else the RAM's registered read data)
            reg               l1_en, l2_en;
            reg [RB-1:0]      l1_row, l2_row;
            reg signed [BW-1:0] l1_sum, l2_sum, y_ram;
            wire [RB-1:0]     yr = y_row[m*RB +: RB];
            wire signed [BW-1:0] old = y_first ? {BW{1'b0}} :
                                       (l1_en && l1_row == yr) ? l1_sum :
                                       (l2_en && l2_row == yr) ? l2_sum : y_ram;
            wire signed [W-1:0]  val = y_val[m*W +: W];
            wire signed [BW-1:0] sum = old + {{(BW-W){val[W-1]}}, val};
            wire          wen = y_en;
            always @(posedge clk) begin
                if (rst) begin
                    l1_en <= 1'b0;
                    l2_en <= 1'b0;
                end else if (ce) begin
                    l1_en <= wen;
                    l2_en <= l1_en;
                end
            end
            always @(posedge clk) begin
                if (ce) begin
                    y_ram <= sel ? q1[m*BW +: BW] : q0[m*BW +: BW];
                    l1_row <= yr;
                    l1_sum <= sum;
                    l2_row <= l1_row;
                    l2_sum <= l1_sum;
                end
            end
            wire [AW-1:0] ra0 = sel ? nrow : rmw_row[m*RB +: RB];
            wire [AW-1:0] ra1 = sel ? rmw_row[m*RB +: RB] : nrow;
            sg_ram #(.WIDTH(BW), .DEPTH(ROWS), .AW(AW), .RAM_STYLE(RAM_STYLE), .RW_OK(1)) ram0 (
                .clk(clk), .ce(ce), .we(wen && !sel), .waddr(yr), .wdata(sum),
                .re(sel ? rd_en : rmw_en), .raddr(ra0), .rdata(q0[m*BW +: BW]));
            sg_ram #(.WIDTH(BW), .DEPTH(ROWS), .AW(AW), .RAM_STYLE(RAM_STYLE), .RW_OK(1)) ram1 (
                .clk(clk), .ce(ce), .we(wen && sel), .waddr(yr), .wdata(sum),
                .re(sel ? rmw_en : rd_en), .raddr(ra1), .rdata(q1[m*BW +: BW]));
        end
    endgenerate

    // natural reader data: neuron g of the read comes from bank (rb0 + g) mod BANKS of the RAM not accumulated
    // (a multiplexer over constant slices: an index times BW would be a multiplication that synthesis could put on
    // a DSP block)
    wire [BANKS*BW-1:0] nq = sel ? q0 : q1;
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
