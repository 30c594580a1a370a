from osaid.cli import main

main()
