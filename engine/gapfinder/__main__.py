from gapfinder.cli import main

main(prog_name="gapfinder")
