`default_nettype none
// DCCA: simulation model for post-synthesis simulation of ECP5 netlists (Yosys 0.23 has a blackbox only). The
// FPGA flow puts one in front of the design's clock enable so that nextpnr routes it on a global line
// (verify/fpga.py global_enable); the output follows the input while CE is high, and is low otherwise.
module DCCA (
    input  wire CLKI,
    input  wire CE,
    output wire CLKO
);
    assign CLKO = CLKI & CE;
endmodule
`default_nettype wire
