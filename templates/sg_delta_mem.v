`default_nettype none
// sg_delta_mem: the back-propagated delta sums g_x of one layer h (1 <= h < J), at full width (exact sums),
// banked like the layer's activations for junction h + 1: neuron x in bank x mod BANKS, row x / BANKS.
// NC = g + 1 physical RAMs per bank, one per copy (g = 1: ping-pong; g = 2, overlapped cycles: three): in each
// junction cycle one of them is accumulated by the BP of junction h + 1 (read-modify-write, one row per bank per
// clock, interleaved order) and the one filled g cycles earlier is read by junction h in natural order (Q neurons
// per read). The read copy rotates at the cycle start, the accumulated copy at rmw_cyc (the cycle start delayed to
// the BP's stage: with overlapped cycles the last contributions of a cycle arrive in the first clocks of the next,
// and go to their own cycle's copy, which travels with them).
// Read-modify-write in three clocks: the RAM read (X), its data registered (Y: a block RAM's read data comes late
// in the clock, ECP5 DP16KD 5.8 ns, and the adder no longer follows it), the sum and its write. A row accessed
// again one or two clocks later would read a stale sum, so the last two writes are forwarded (the newer first):
// any revisit distance >= 1 is exact (SG_DELTA_RMW_DISTANCE = 1 in gen/plan.h).
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
    // read-modify-write pipeline: stage X holds the access whose RAM read was issued in the previous clock, stage Y
    // the one before it (its read data registered); each with its copy
    reg               x_en, x_first, y_en, y_first;
    reg [1:0]         x_c, y_c;
    reg [BANKS*RB-1:0] x_row, y_row;
    reg [BANKS*W-1:0]  x_val, y_val;

    always @(posedge clk) begin
        if (rst) begin
            acc <= NCL;
            rdc <= 2'd0;
            rb0 <= {BB{1'b0}};
            rrow0 <= {RB{1'b0}};
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
            x_c <= acc;
            y_first <= x_first;
            y_row <= x_row;
            y_val <= x_val;
            y_c <= x_c;
            if (rd_en) begin
                rbg_d <= rbg;
                rdc_d <= rdc;
            end
        end
    end

    // q[i]: the read data of copy i's RAMs
    wire [BANKS*BW-1:0] q [0:NC-1];
    genvar m, ci;
    generate
        for (m = 0; m < BANKS; m = m + 1) begin : g_bank
            localparam integer M_I = m;
            // natural reader: the row this bank is read at
            /* verilator lint_off CMPCONST */
            // (the same comparison for every bank is constant for the edge banks; intended)
            wire [RB-1:0] nrow = (M_I[BB-1:0] < rb0) ? rrow0 + 1'b1 : rrow0;
            /* verilator lint_on CMPCONST */
            // read-modify-write: old sum (zero in the first sweep; else the newer of the last two writes of this
            // row and copy, if any, else the RAM's registered read data)
            reg               l1_en, l2_en;
            reg [1:0]         l1_c, l2_c;
            reg [RB-1:0]      l1_row, l2_row;
            reg signed [BW-1:0] l1_sum, l2_sum, y_ram;
            wire [RB-1:0]     yr = y_row[m*RB +: RB];
            wire signed [BW-1:0] old = y_first ? {BW{1'b0}} :
                                       (l1_en && l1_row == yr && l1_c == y_c) ? l1_sum :
                                       (l2_en && l2_row == yr && l2_c == y_c) ? l2_sum : y_ram;
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
                    y_ram <= (NC > 2 && x_c == 2'd2) ? q[NC-1][m*BW +: BW] :
                             (x_c == 2'd1) ? q[1][m*BW +: BW] : q[0][m*BW +: BW];
                    l1_row <= yr;
                    l1_c <= y_c;
                    l1_sum <= sum;
                    l2_row <= l1_row;
                    l2_c <= l1_c;
                    l2_sum <= l1_sum;
                end
            end
            // copy ci's RAM: read by the natural reader when it is the read copy, else by the read-modify-write
            for (ci = 0; ci < NC; ci = ci + 1) begin : g_copy
                localparam [1:0] CI = ci;
                wire rsel = (rdc == CI);
                sg_ram #(.WIDTH(BW), .DEPTH(ROWS), .AW(AW), .RAM_STYLE(RAM_STYLE), .RW_OK(1)) ram (
                    .clk(clk), .ce(ce), .we(wen && y_c == CI), .waddr(yr), .wdata(sum),
                    .re(rsel ? rd_en : (rmw_en && acc == CI)), .raddr(rsel ? nrow : rmw_row[m*RB +: RB]),
                    .rdata(q[ci][m*BW +: BW]));
            end
        end
    endgenerate

    // natural reader data: neuron g of the read comes from bank (rb0 + g) mod BANKS of the RAM not accumulated
    // (a multiplexer over constant slices: an index times BW would be a multiplication that synthesis could put on
    // a DSP block)
    wire [BANKS*BW-1:0] nq = (NC > 2 && rdc_d == 2'd2) ? q[NC-1] : (rdc_d == 2'd1) ? q[1] : q[0];
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
