import ShoalCLI
ShoalCommand.mainEntry()
