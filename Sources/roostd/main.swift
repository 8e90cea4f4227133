// roostd: Roost's server daemon. Everything lives in RoostServer; see `Roostd`.
// No top-level `await` here: see `Roostd.runFromCommandLine` for why.
import RoostServer

Roostd.runFromCommandLine()
