`default_nettype none
// sg_fifo2: a small FIFO (skid buffer: DEPTH = 2 or 3 entries) between a stream port and the pipeline, outside the
// clock enable: it takes a word whenever it is not full (or is full and gives one in the same clock) and gives one
// whenever it is not empty, whatever the pipeline does. The head is a register (no multiplexer on the output);
// count is the number of words held. The input port uses two entries, the result port three (sg_ctrl decides the
// clock enable two clocks ahead and leaves room for the result the last junction may push in the next clock).
module sg_fifo2 #(
    parameter integer WIDTH = 8,
    parameter integer DEPTH = 2
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             push,    // only when count != DEPTH, or together with pop
    input  wire [WIDTH-1:0] din,
    input  wire             pop,     // only when count != 0
    output wire [WIDTH-1:0] dout,    // the head (valid when count != 0)
    output reg  [1:0]       count
);
    initial begin
        if (WIDTH < 1 || (DEPTH != 2 && DEPTH != 3)) begin
            $display("sg_fifo2: illegal WIDTH=%0d DEPTH=%0d", WIDTH, DEPTH);
            $finish;
        end
    end
    // entry i (bits i*WIDTH ..) holds the (i+1)-th word when count > i; entry 0 is the head
    reg [DEPTH*WIDTH-1:0] e;
    assign dout = e[WIDTH-1:0];
    always @(posedge clk) begin
        if (rst) count <= 2'd0;
        else count <= count + {1'b0, push} - {1'b0, pop};
    end
    // the entry the incoming word takes: count, or count - 1 when the head leaves in the same clock. It takes din
    // whenever the FIFO has room (room, not push): that entry holds no word, so a word that is not pushed changes
    // nothing, and the data registers' enables depend on count and pop only, not on the port's valid (a net to
    // every data bit: 1,024 on the anchor network's input, the routed network's slowest path through the P&R
    // wrapper)
    wire [1:0] wpos = pop ? count - 2'd1 : count;
    wire       room = (count != DEPTH[1:0]) || pop;
    integer i;
    always @(posedge clk) begin
        for (i = 0; i < DEPTH; i = i + 1) begin
            if (room && wpos == i[1:0]) e[i*WIDTH +: WIDTH] <= din;
            else if (pop && i + 1 < DEPTH) e[i*WIDTH +: WIDTH] <= e[((i + 1 < DEPTH) ? i + 1 : i)*WIDTH +: WIDTH];
        end
    end
`ifndef SYNTHESIS
    always @(posedge clk) begin
        if (!rst && ((push && !pop && count == DEPTH[1:0]) || (pop && count == 2'd0))) begin
            $display("sg_fifo2: %0s", (pop && count == 2'd0) ? "pop when empty" : "push when full");
            $fatal(1, "sg_fifo2");
        end
    end
`endif
endmodule
`default_nettype wire
