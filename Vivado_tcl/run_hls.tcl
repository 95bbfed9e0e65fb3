# Vivado HLS 2018.3 flow for an HLS project written by hwgen (hwgen.hls.project.write_hls_project):
# C simulation, synthesis and IP export of the BlackBoxJam accelerator.
#
# Usage (Vivado_tcl/run_hls.sh finds vivado_hls and runs exactly this):
#   vivado_hls -f Vivado_tcl/run_hls.tcl -tclargs HW_DIR FINN_HLSLIB [STEPS] [KEY=VALUE ...]
#
#   HW_DIR       the project folder (OUT/hw): top.cpp, tb.cpp, config.h, hls_config.tcl
#   FINN_HLSLIB  a finn-hlslib checkout at commit 8b7f5f5 (the one with fclayer.h)
#   STEPS        comma-separated, in this order: csim, csynth, cosim, export.
#                Default csim,csynth,export; then csim is skipped (with a warning) when
#                HW_DIR/csim/input.bin does not exist. A csim or cosim named explicitly needs it
#                (write it with hwgen.hls.csim.prepare_csim).
#   KEY=VALUE    overrides of HW_DIR/hls_config.tcl and of the defaults:
#                  part=xc7z020clg400-1  clock=5 (ns)  project=<network name>  solution=sol1
#                  build=<HW_DIR>/../hls (where the project folder is created)
#                  params=<FINN parameter folder for csim; default from hls_config.tcl>
#                  compiler=clang (csim compiler, as BNN-PYNQ)  format=ip_catalog
#
# Results: BUILD/PROJECT/SOLUTION/syn/report/<top>_csynth.xml and .rpt, the IP under
# BUILD/PROJECT/SOLUTION/impl/ip. Vivado HLS writes vivado_hls.log in the directory it was
# started from. The script stops at the first error (exit status 1).

proc hwgen_fail {message} {
    puts stderr "run_hls.tcl: error: $message"
    exit 1
}

# vivado_hls passes "-f <script>" in front of the -tclargs values (BNN-PYNQ's hls-syn.tcl skips
# them); tclsh passes only the arguments. Accept both.
proc hwgen_script_args {arguments} {
    if {[lindex $arguments 0] eq "-f"} {
        set arguments [lrange $arguments 2 end]
    }
    if {[lindex $arguments 0] eq "-tclargs"} {
        set arguments [lrange $arguments 1 end]
    }
    return $arguments
}

proc hwgen_check_word {what value} {
    if {$value eq "" || [regexp {[\s"]} $value]} {
        hwgen_fail "$what must be non-empty and without spaces or quotes, got \"$value\""
    }
}

set hwgen_args [hwgen_script_args $argv]
if {[llength $hwgen_args] < 2} {
    hwgen_fail "usage: vivado_hls -f run_hls.tcl -tclargs HW_DIR FINN_HLSLIB\
        \[csim,csynth,cosim,export\] \[key=value ...\]"
}
set hw_dir [file normalize [lindex $hwgen_args 0]]
set finn_hlslib [file normalize [lindex $hwgen_args 1]]
set rest [lrange $hwgen_args 2 end]

set steps {csim csynth export}
set explicit_steps 0
if {[llength $rest] > 0 && [string first "=" [lindex $rest 0]] < 0} {
    set steps [split [lindex $rest 0] ","]
    set explicit_steps 1
    set rest [lrange $rest 1 end]
}
set known_steps {csim csynth cosim export}
foreach step $steps {
    if {[lsearch -exact $known_steps $step] < 0} {
        hwgen_fail "unknown step \"$step\"; steps are [join $known_steps ,]"
    }
}

foreach required {hls_config.tcl top.cpp tb.cpp config.h} {
    if {![file isfile [file join $hw_dir $required]]} {
        hwgen_fail "$hw_dir has no $required: not an hwgen HLS project folder"
    }
}
if {![file isfile [file join $finn_hlslib fclayer.h]]} {
    hwgen_fail "$finn_hlslib has no fclayer.h: not a finn-hlslib checkout at commit 8b7f5f5"
}
hwgen_check_word "HW_DIR" $hw_dir
hwgen_check_word "FINN_HLSLIB" $finn_hlslib

source [file join $hw_dir hls_config.tcl]
set options(part) $hwgen(part)
set options(clock) $hwgen(clock_ns)
set options(project) $hwgen(project)
set options(solution) sol1
set options(build) [file join [file dirname $hw_dir] hls]
set options(params) ""
set options(compiler) clang
set options(format) ip_catalog
foreach pair $rest {
    set eq [string first "=" $pair]
    set key [string range $pair 0 [expr {$eq - 1}]]
    if {$eq < 1 || ![info exists options($key)]} {
        hwgen_fail "bad option \"$pair\"; options are key=value with key one of\
            [join [lsort [array names options]] {, }]"
    }
    set options($key) [string range $pair [expr {$eq + 1}] end]
}
if {![string is double -strict $options(clock)] || $options(clock) <= 0} {
    hwgen_fail "clock must be a positive period in ns, got \"$options(clock)\""
}

# Testbench arguments: PARAMS_DIR INPUT N OUTPUT [EXPECTED] (see tb.cpp).
proc hwgen_tb_argv {step} {
    global hw_dir hwgen options explicit_steps
    set input [file join $hw_dir $hwgen(csim_input)]
    if {![file isfile $input]} {
        if {$explicit_steps} {
            hwgen_fail "$step needs $input (write it with hwgen.hls.csim.prepare_csim)"
        }
        puts "run_hls.tcl: warning: no $input, skipping $step"
        return ""
    }
    set n [expr {[file size $input] / (8 * $hwgen(in_words))}]
    if {$n < 1} {
        hwgen_fail "$input holds no whole image of $hwgen(in_words) words"
    }
    if {$hwgen(baked_params)} {
        set params "-"
    } elseif {$options(params) ne ""} {
        set params [file normalize $options(params)]
    } elseif {$hwgen(params_dir) ne ""} {
        set params [file normalize [file join $hw_dir $hwgen(params_dir)]]
    } else {
        hwgen_fail "$step needs the parameter folder: pass params=DIR"
    }
    set argv_list [list $params $input $n [file join $hw_dir $hwgen(csim_output)]]
    set expected [file join $hw_dir $hwgen(csim_expected)]
    if {[file isfile $expected]} {
        lappend argv_list $expected
    }
    foreach value $argv_list {
        hwgen_check_word "testbench argument" $value
    }
    return [join $argv_list " "]
}

set cflags "$hwgen(cflags) -I$finn_hlslib -I$hw_dir"
puts "run_hls.tcl: project $options(project) ($hw_dir) in $options(build),\
    part $options(part), clock $options(clock) ns, steps [join $steps ,]"
file mkdir $options(build)
cd $options(build)

open_project -reset $options(project)
set_top $hwgen(top)
foreach source $hwgen(sources) {
    add_files [file join $hw_dir $source] -cflags $cflags
}
foreach testbench $hwgen(testbench) {
    add_files -tb [file join $hw_dir $testbench] -cflags $cflags
}
open_solution -reset $options(solution)
set_part $options(part)
# 64-bit AXI master addresses, as BNN-PYNQ
config_interface -m_axi_addr64
create_clock -period $options(clock) -name default

foreach step $known_steps {
    if {[lsearch -exact $steps $step] < 0} {
        continue
    }
    switch -- $step {
        csim {
            set tb_argv [hwgen_tb_argv csim]
            if {$tb_argv ne ""} {
                csim_design -argv $tb_argv -compiler $options(compiler)
            }
        }
        csynth {
            csynth_design
        }
        cosim {
            set tb_argv [hwgen_tb_argv cosim]
            if {$tb_argv ne ""} {
                cosim_design -argv $tb_argv
            }
        }
        export {
            export_design -format $options(format)
        }
    }
}
set solution_dir [file join $options(build) $options(project) $options(solution)]
puts "run_hls.tcl: done; reports in [file join $solution_dir syn report]"
exit 0
