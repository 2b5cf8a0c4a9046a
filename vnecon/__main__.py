from vnecon.entry import main

main()
