from vnecon.cli import main

main()
