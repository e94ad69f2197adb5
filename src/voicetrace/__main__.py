from voicetrace.cli import main

main()
