`default_nettype none
// sg_fifo2: a two-entry FIFO (skid buffer) between a stream port and the pipeline, outside the clock enable: it
// takes a word whenever it is not full and gives one whenever it is not empty, whatever the pipeline does. Two
// entries keep a stream at one word per clock while its ready signal depends on registers only (count != 2). The
// head is a register (no multiplexer on the output); count is the number of words held.
module sg_fifo2 #(
    parameter integer WIDTH = 8
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             push,    // only when count != 2
    input  wire [WIDTH-1:0] din,
    input  wire             pop,     // only when count != 0
    output reg  [WIDTH-1:0] dout,    // the head (valid when count != 0)
    output reg  [1:0]       count
);
    reg [WIDTH-1:0] r1;
    initial begin
        if (WIDTH < 1) begin
            $display("sg_fifo2: illegal WIDTH=%0d", WIDTH);
            $finish;
        end
    end
    always @(posedge clk) begin
        if (rst) count <= 2'd0;
        else count <= count + {1'b0, push} - {1'b0, pop};
    end
    always @(posedge clk) begin
        if (pop) begin
            // the head leaves: the second word, or the one coming in, becomes the head
            dout <= (count == 2'd2) ? r1 : din;
            if (push) r1 <= din;
        end else if (push) begin
            if (count == 2'd0) dout <= din;
            else r1 <= din;
        end
    end
`ifndef SYNTHESIS
    always @(posedge clk) begin
        if (!rst && ((push && count == 2'd2) || (pop && count == 2'd0))) begin
            $display("sg_fifo2: %0s", (pop && count == 2'd0) ? "pop when empty" : "push when full");
            $fatal(1, "sg_fifo2");
        end
    end
`endif
endmodule
`default_nettype wire
