import ShoalCLI
ShoalCommand.main()
