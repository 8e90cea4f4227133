// roostd: Roost's server daemon. Everything lives in RoostServer; see `Roostd`.
import RoostServer

await Roostd.runFromCommandLine()
