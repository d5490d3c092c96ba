`default_nettype none
// tb_sg_mul: every logic multiplier shape the junctions use (and some more) against `*`, on random operands and
// the corner values (most negative, -1, 0, 1, most positive), with a latency of one clock and of two (LAT = 2: a
// register level inside the adder tree; also the DSP variant's registered operands). Run by verify/tests/sg_mul.sh, plain and with
// -DSG_ECP5 (the ECP5 carry-chain variant, with Yosys's cell models); ends with PASS or $fatal.
module tb_sg_mul;
    reg clk;
    integer errors = 0;
    localparam integer NS = 14;
    // (AW, BW) pairs: the anchor's 10 x 9 (FF, UP) and 10 x 10 (BP), small and odd widths, wide ones
    localparam [NS*16-1:0] SHAPES = {
        8'd10, 8'd9, 8'd10, 8'd10, 8'd1, 8'd2, 8'd2, 8'd2, 8'd3, 8'd5, 8'd5, 8'd3, 8'd7, 8'd8,
        8'd8, 8'd7, 8'd12, 8'd13, 8'd16, 8'd9, 8'd9, 8'd16, 8'd6, 8'd17, 8'd18, 8'd18, 8'd4, 8'd4};
    // operand pair k (k = 0, 1, ...): the 25 corner pairs, then random ones; set at the falling edge, checked
    // one clock later (the product register) at the next falling edge, before the next pair is set
    integer k = 0;
    function [31:0] corner(input integer c, input integer w);
        case (c)
            0: corner = 32'd1 << (w - 1);
            1: corner = {32{1'b1}};
            2: corner = 0;
            3: corner = 1;
            default: corner = (32'd1 << (w - 1)) - 1;
        endcase
    endfunction
    genvar g;
    generate
        for (g = 0; g < NS; g = g + 1) begin : g_s
            localparam integer AW = SHAPES[(NS-1-g)*16+8 +: 8];
            localparam integer BW = SHAPES[(NS-1-g)*16 +: 8];
            reg signed [AW-1:0] a = 0;
            reg signed [BW-1:0] b = 0;
            wire signed [AW+BW-1:0] p;
            wire signed [AW+BW-1:0] p2, pd2;
            sg_mul #(.AW(AW), .BW(BW), .DSP(0)) dut (.clk(clk), .ce(1'b1), .a(a), .b(b), .p(p));
            sg_mul #(.AW(AW), .BW(BW), .DSP(0), .LAT(2)) dut2 (.clk(clk), .ce(1'b1), .a(a), .b(b), .p(p2));
            sg_mul #(.AW(AW), .BW(BW), .DSP(1), .LAT(2)) dutd2 (.clk(clk), .ce(1'b1), .a(a), .b(b), .p(pd2));
            reg signed [AW+BW-1:0] want = 0, want2 = 0;
            always @(posedge clk) begin
                want <= a * b;
                want2 <= want;
            end
            always @(negedge clk) begin
                if (k > 0 && p !== want) begin
                    errors = errors + 1;
                    if (errors <= 10)
                        $display("sg_mul %0d x %0d, pair %0d: a = %0d, b = %0d: expected %0d, got %0d", AW, BW, k - 1,
                                 a, b, want, p);
                end
                if (k > 1 && (p2 !== want2 || pd2 !== want2)) begin
                    errors = errors + 1;
                    if (errors <= 10)
                        $display("sg_mul %0d x %0d LAT 2, pair %0d: expected %0d, got %0d (logic), %0d (DSP)", AW, BW,
                                 k - 2, want2, p2, pd2);
                end
                if (k < 25) begin
                    a = corner(k / 5, AW);
                    b = corner(k % 5, BW);
                end else begin
                    a = $random;
                    b = $random;
                end
            end
        end
    endgenerate
    initial begin
        clk = 1;
        for (k = 0; k < 5025; k = k + 1) begin
            #1 clk = 0;
            #1 clk = 1;
        end
        #1 clk = 0;
        #1;
        if (errors != 0) $fatal(1, "FAIL: %0d wrong products", errors);
        $display("PASS: %0d shapes x %0d operand pairs, latency 1 and 2", NS, k);
        $finish;
    end
endmodule
`default_nettype wire
