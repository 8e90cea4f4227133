/// A TLS protocol version as written in `tls.min_version`.
///
/// Only versions Roost will negotiate are listed: TLS 1.0 and 1.1 are deprecated (RFC 8996),
/// so naming them is a configuration error rather than a setting that is quietly raised.
/// The case names follow swift-nio-ssl's `TLSVersion` so the wiring layer maps them one to one.
public enum TLSVersionName: String, Sendable, Hashable, CaseIterable, Comparable {
    /// TLS 1.2 (RFC 5246).
    case tlsv12 = "TLSv1.2"
    /// TLS 1.3 (RFC 8446).
    case tlsv13 = "TLSv1.3"

    /// Position in `allCases`; later is newer.
    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// Orders versions from oldest to newest.
    public static func < (lhs: TLSVersionName, rhs: TLSVersionName) -> Bool { lhs.rank < rhs.rank }
}
