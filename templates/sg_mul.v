`default_nettype none
// sg_mul: registered signed product p = a * b (latency 1 clock, gated by ce) of an AW-bit and a BW-bit two's
// complement operand. DSP = 1 writes the product as `*`, which Yosys maps to a DSP block (SB_MAC16, MULT18X18D,
// DSP48E1) together with the output register; DSP = 0 builds it from logic Yosys cannot turn into a DSP block:
// BW partial products (a shifted by i where bit i of b is set; the sign bit of b weighs -2^(BW-1)) summed by a
// balanced adder tree (sg_addtree), so the generator decides which products use the device's DSP blocks
// (`sparsegen rtl --dsp N`). Narrow operands (e.g. the input activations of junction 1) make small products.
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
            wire [BW*PW-1:0] pp;
            wire [PW-1:0] sum;
            wire signed [PW-1:0] ax = {{(PW-AW){a[AW-1]}}, a};
            genvar i;
            for (i = 0; i < BW - 1; i = i + 1) begin : g_pp
                assign pp[i*PW +: PW] = b[i] ? (ax <<< i) : {PW{1'b0}};
            end
            assign pp[(BW-1)*PW +: PW] = b[BW-1] ? -(ax <<< (BW - 1)) : {PW{1'b0}};
            sg_addtree #(.N(BW), .IW(PW), .OW(PW), .REG(0)) tree (.clk(clk), .ce(ce), .in(pp), .out(sum));
            always @(posedge clk) if (ce) p <= sum;
        end
    endgenerate
endmodule
`default_nettype wire
