from vnecon.cli.entry import main

main()
