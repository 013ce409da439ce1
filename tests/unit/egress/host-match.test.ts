import { describe, expect, it } from "vitest";
import { isPublicAddress } from "@/lib/egress/address-policy";
import { canonicalHost, CompiledPolicy, formatAuthority, hostMatches, parseAuthority, parseHostPattern, parseHostPatterns } from "@/lib/egress/host-match";

describe("canonicalHost", () => {
  it.each([
    ["API.Example.COM", "api.example.com"],
    ["api.example.com.", "api.example.com"],
    ["bücher.example", "xn--bcher-kva.example"],
    ["127.0.0.1", "127.0.0.1"],
    ["2130706433", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["[::1]", "::1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["[2001:DB8:0:0::1]", "2001:db8::1"],
    ["::ffff:127.0.0.1", "::ffff:7f00:1"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalHost(input)).toBe(expected);
  });

  it.each(["", " ", "a/b", "a@b", "a b", "a:80", "a?b", "a#b", "a%2eb", "..", ".a", "a..b", "x".repeat(300), "[::1", "1.2.3.4.5.6"])(
    "rejects %j",
    (input) => {
      expect(canonicalHost(input)).toBeNull();
    },
  );
});

describe("host patterns", () => {
  it("parses exact hosts and *. wildcards, canonically", () => {
    expect(parseHostPattern("API.example.com")).toEqual({ kind: "exact", host: "api.example.com" });
    expect(parseHostPattern("*.Example.com")).toEqual({ kind: "suffix", suffix: "example.com" });
    expect(parseHostPattern("10.0.0.1")).toEqual({ kind: "exact", host: "10.0.0.1" });
    expect(parseHostPattern("[::1]")).toEqual({ kind: "exact", host: "::1" });
  });

  it.each(["*", "*.", "**.example.com", "a.*.com", "*example.com", "*.1.2.3.4", "https://example.com", "example.com:443", "example.com/path", ""])(
    "rejects %j",
    (pattern) => {
      expect(parseHostPattern(pattern)).toBeNull();
    },
  );

  it("throws naming the first bad pattern", () => {
    expect(() => parseHostPatterns(["ok.example", "bad/pattern"])).toThrow(/bad\/pattern/);
  });

  it("a wildcard matches names below the domain, not the domain itself nor look-alikes", () => {
    const patterns = parseHostPatterns(["*.example.com", "exact.test"]);
    expect(hostMatches("api.example.com", patterns)).toBe(true);
    expect(hostMatches("a.b.example.com", patterns)).toBe(true);
    expect(hostMatches("example.com", patterns)).toBe(false);
    expect(hostMatches("evilexample.com", patterns)).toBe(false);
    expect(hostMatches("example.com.evil.test", patterns)).toBe(false);
    expect(hostMatches("exact.test", patterns)).toBe(true);
    expect(hostMatches("sub.exact.test", patterns)).toBe(false);
    expect(hostMatches("exact.tes", patterns)).toBe(false);
  });
});

describe("CompiledPolicy", () => {
  it("none refuses everything", () => {
    const p = new CompiledPolicy({ type: "none" });
    expect(p.decide("example.com")).toEqual({ allowed: false, reason: "network_disabled" });
  });

  it("unrestricted allows everything", () => {
    const p = new CompiledPolicy({ type: "unrestricted" });
    expect(p.decide("example.com")).toEqual({ allowed: true });
  });

  it("limited allows its hosts only", () => {
    const p = new CompiledPolicy({ type: "limited", allowedHosts: ["Allowed.test", "*.wild.test"] });
    expect(p.decide("allowed.test")).toEqual({ allowed: true });
    expect(p.decide("x.wild.test")).toEqual({ allowed: true });
    expect(p.decide("wild.test")).toEqual({ allowed: false, reason: "host_not_allowed" });
    expect(p.decide("other.test")).toEqual({ allowed: false, reason: "host_not_allowed" });
  });

  it("limited with no hosts allows nothing", () => {
    expect(new CompiledPolicy({ type: "limited", allowedHosts: [] }).decide("a.test").allowed).toBe(false);
  });

  it("refuses to build with an invalid pattern", () => {
    expect(() => new CompiledPolicy({ type: "limited", allowedHosts: ["http://x.test"] })).toThrow(/not a host pattern/);
  });
});

describe("parseAuthority / formatAuthority", () => {
  it.each([
    ["example.com:443", { host: "example.com", port: 443 }],
    ["EXAMPLE.com.:8443", { host: "example.com", port: 8443 }],
    ["[::1]:443", { host: "::1", port: 443 }],
    ["127.0.0.1:1", { host: "127.0.0.1", port: 1 }],
  ])("%s", (input, expected) => {
    expect(parseAuthority(input)).toEqual(expected);
  });

  it.each(["example.com", "example.com:0", "example.com:65536", "user@example.com:443", "example.com:443/x", "::1:443", ":443", "example.com:-1"])(
    "rejects %j without a default port",
    (input) => {
      expect(parseAuthority(input)).toBeNull();
    },
  );

  it("uses a default port when given", () => {
    expect(parseAuthority("example.com", 80)).toEqual({ host: "example.com", port: 80 });
  });

  it("formats IPv6 in brackets and drops a default port", () => {
    expect(formatAuthority("::1", 8080)).toBe("[::1]:8080");
    expect(formatAuthority("example.com", 443, 443)).toBe("example.com");
    expect(formatAuthority("example.com", 8443, 443)).toBe("example.com:8443");
  });
});

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fd00::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",
    "2001:db8::1",
    "not-an-address",
    "",
  ])("%s is not public", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["1.1.1.1", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "2606:4700::1111", "::ffff:1.1.1.1", "64:ff9b::808:808"])(
    "%s is public",
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});
