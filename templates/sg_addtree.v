`default_nettype none
// sg_addtree: the exact sum of N signed IW-bit values as an OW-bit value (OW must hold the sum), a balanced
// binary tree of adders: level l adds pairs of level l - 1 (an odd last node passes through), each only as wide
// as its exact sum (IW + l bits, at most OW). REG = 1 registers every level (latency clog2(N) clocks, all
// registers gated by ce); REG = 0 is combinational. N = 1 is a wire (sign extension only, no register).
module sg_addtree #(
    parameter integer N = 4,
    parameter integer IW = 8,
    parameter integer OW = 10,
    parameter integer REG = 1
) (
    /* verilator lint_off UNUSEDSIGNAL */
    // (clk and ce are unused when REG = 0 or N = 1)
    input  wire            clk,
    input  wire            ce,
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [N*IW-1:0] in,
    output wire [OW-1:0]   out
);
    // nodes at level l (level 0: the N inputs), and where level l starts in the flat vector lv
    function integer nodes;
        input integer n;
        input integer l;
        begin
            nodes = (n + (1 << l) - 1) >> l;
        end
    endfunction
    function integer offs;
        input integer n;
        input integer l;
        integer i;
        begin
            offs = 0;
            for (i = 0; i < l; i = i + 1) offs = offs + nodes(n, i);
        end
    endfunction
    localparam integer L = (N > 1) ? $clog2(N) : 0;
    localparam integer TOT = offs(N, L + 1);

    initial begin
        if (N < 1 || IW < 1 || OW < IW || (REG != 0 && REG != 1)) begin
            $display("sg_addtree: illegal parameters N=%0d IW=%0d OW=%0d REG=%0d", N, IW, OW, REG);
            $finish;
        end
    end

    // every level in one vector (level l reads level l - 1): split for Verilator, which would otherwise see a loop
    /* verilator lint_off UNUSEDSIGNAL */
    // (each level reads only the low bits of the level below that its width needs)
    wire [TOT*OW-1:0] lv /*verilator split_var*/;
    /* verilator lint_on UNUSEDSIGNAL */
    genvar i, l;
    generate
        for (i = 0; i < N; i = i + 1) begin : g_in
            wire [IW-1:0] x = in[i*IW +: IW];
            assign lv[i*OW +: OW] = {{(OW-IW){x[IW-1]}}, x};
        end
        for (l = 1; l <= L; l = l + 1) begin : g_lvl
            localparam integer NI = nodes(N, l - 1);
            localparam integer OI = offs(N, l - 1);
            localparam integer OO = offs(N, l);
            // a node of level l sums at most 2^l inputs: IW + l bits hold it exactly
            localparam integer LW = (IW + l < OW) ? IW + l : OW;
            for (i = 0; i < nodes(N, l); i = i + 1) begin : g_node
                wire [LW-1:0] s;
                if (2 * i + 1 < NI) begin : g_add
                    assign s = lv[(OI + 2*i)*OW +: LW] + lv[(OI + 2*i + 1)*OW +: LW];
                end else begin : g_pass
                    assign s = lv[(OI + 2*i)*OW +: LW];
                end
                if (REG != 0) begin : g_reg
                    reg [LW-1:0] r;
                    always @(posedge clk) if (ce) r <= s;
                    assign lv[(OO + i)*OW +: OW] = {{(OW-LW){r[LW-1]}}, r};
                end else begin : g_comb
                    assign lv[(OO + i)*OW +: OW] = {{(OW-LW){s[LW-1]}}, s};
                end
            end
        end
    endgenerate
    assign out = lv[(TOT-1)*OW +: OW];
endmodule
`default_nettype wire
