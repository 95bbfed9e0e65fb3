# A stand-in for vivado_hls, for testing the Vivado_tcl scripts with a plain tclsh.
#
#   tclsh stub.tcl SCRIPT [ARGS ...]
#
# defines the Vivado HLS commands as procedures that append one line per call, the command and
# its arguments as a Tcl list, to the file $env(HLS_STUB_LOG), sets argv as vivado_hls does
# ("-f SCRIPT ARGS ..."; only "ARGS ..." when $env(HLS_STUB_PLAIN_ARGV) is set, as a plain
# tclsh would), and sources SCRIPT. `exit` is recorded too.

set stub_log $env(HLS_STUB_LOG)

proc stub_record {words} {
    set handle [open $::stub_log a]
    puts $handle $words
    close $handle
}

foreach command {open_project add_files set_top open_solution set_part create_clock
                 config_interface config_compile config_rtl csim_design csynth_design
                 cosim_design export_design close_solution close_project} {
    proc $command {args} "stub_record \[linsert \$args 0 $command\]"
}

rename exit stub_real_exit
proc exit {{status 0}} {
    stub_record [list exit $status]
    stub_real_exit $status
}

set stub_script [lindex $argv 0]
if {[info exists env(HLS_STUB_PLAIN_ARGV)]} {
    set argv [lrange $argv 1 end]
} else {
    set argv [concat [list -f $stub_script] [lrange $argv 1 end]]
}
set argc [llength $argv]
source $stub_script
exit 0
