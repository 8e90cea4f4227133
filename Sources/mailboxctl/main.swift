// mailboxctl: Roost's admin tool. Everything lives in RoostAdmin; see `Mailboxctl`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RoostAdmin

exit(await Mailboxctl.main(arguments: Array(CommandLine.arguments.dropFirst())))
