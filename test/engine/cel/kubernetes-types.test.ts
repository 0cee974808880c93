import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileCel, fromCel } from "../../../src/engine/cel/index.js";

function ev(expr: string): unknown {
  const r = compileCel(expr).eval({});
  return "error" in r ? { error: r.error } : fromCel(r.value);
}
const isError = (v: unknown) => typeof v === "object" && v !== null && "error" in v;

// Expectations from the Kubernetes documentation of its CEL libraries (quantity, IP/CIDR, URL).
test("quantity: parsing, comparison, arithmetic, conversions", () => {
  assert.is(ev(`isQuantity("1.5Gi") && isQuantity("200M") && isQuantity("1e3") && isQuantity("-5m") && isQuantity(".5")`), true);
  assert.is(ev(`isQuantity("1.5Gb") || isQuantity("") || isQuantity("1 Gi") || isQuantity("Gi")`), false);
  assert.ok(isError(ev(`quantity("1Gb")`)));
  assert.is(ev(`quantity("200M") == quantity("0.2G")`), true);
  assert.is(ev(`quantity("1k") == quantity("1000") && quantity("1Ki") == quantity("1024")`), true);
  assert.is(ev(`quantity("50M").isLessThan(quantity("100M")) && quantity("100M").isGreaterThan(quantity("50M"))`), true);
  assert.is(ev(`quantity("1Gi").isGreaterThan(quantity("1G"))`), true);
  assert.is(ev(`quantity("200M").compareTo(quantity("0.2G"))`), 0);
  assert.is(ev(`quantity("50M").compareTo(quantity("100M"))`), -1);
  assert.is(ev(`quantity("50k").add(quantity("20k")) == quantity("70k")`), true);
  assert.is(ev(`quantity("50k").add(20) == quantity("50020")`), true);
  assert.is(ev(`quantity("50k").sub(quantity("20k")) == quantity("30k") && quantity("50k").sub(20) == quantity("49980")`), true);
  assert.is(ev(`quantity("50k").isInteger() && !quantity("9999999999999999999999999999999999999G").isInteger() && !quantity("50m").isInteger()`), true);
  assert.is(ev(`quantity("50k").asInteger()`), 50000);
  assert.ok(isError(ev(`quantity("50m").asInteger()`)));
  assert.is(ev(`quantity("1.1").asApproximateFloat()`), 1.1);
  assert.is(ev(`quantity("-5").sign() == -1 && quantity("0").sign() == 0 && quantity("5m").sign() == 1`), true);
  assert.is(ev(`type(quantity("1")) == kubernetes.Quantity`), true);
});

test("IP: families, canonical forms, classifications; refused forms", () => {
  assert.is(ev(`isIP("127.0.0.1") && isIP("::1") && isIP("2001:db8::68")`), true);
  assert.is(ev(`isIP("1.2.3") || isIP("127.0.0.256") || isIP("010.0.0.1") || isIP("::ffff:1.2.3.4") || isIP("fe80::1%eth0") || isIP("1::2::3")`), false);
  assert.is(ev(`ip("127.0.0.1").family()`), 4);
  assert.is(ev(`ip("::1").family()`), 6);
  assert.is(ev(`string(ip("2001:DB8:0:0:0:0:0:68"))`), "2001:db8::68");
  assert.is(ev(`ip("::1") == ip("0:0:0:0:0:0:0:1")`), true);
  assert.is(ev(`ip.isCanonical("127.0.0.1") && ip.isCanonical("2001:db8::68") && !ip.isCanonical("2001:DB8::68")`), true);
  assert.is(ev(`ip("127.0.0.1").isLoopback() && ip("::1").isLoopback() && !ip("10.0.0.1").isLoopback()`), true);
  assert.is(ev(`ip("0.0.0.0").isUnspecified() && ip("::").isUnspecified()`), true);
  assert.is(ev(`ip("224.0.0.1").isLinkLocalMulticast() && ip("ff02::1").isLinkLocalMulticast() && !ip("224.0.1.1").isLinkLocalMulticast()`), true);
  assert.is(ev(`ip("169.254.1.1").isLinkLocalUnicast() && ip("fe80::1").isLinkLocalUnicast() && !ip("10.0.0.1").isLinkLocalUnicast()`), true);
  assert.is(ev(`ip("192.168.0.1").isGlobalUnicast() && ip("2001:db8::1").isGlobalUnicast() && !ip("255.255.255.255").isGlobalUnicast() && !ip("ff00::1").isGlobalUnicast()`), true);
  // RFC 5952: the first of two equally long zero runs is the one shortened.
  assert.is(ev(`string(ip("2001:0db8:0000:0000:0001:0000:0000:0001"))`), "2001:db8::1:0:0:1");
  assert.is(ev(`isIP("::ffff:0:1")`), false);
});

test("CIDR: containment, masking, prefix length", () => {
  assert.is(ev(`isCIDR("192.168.0.0/16") && isCIDR("::1/128") && !isCIDR("192.168.0.0/33") && !isCIDR("192.168.0.0") && !isCIDR("192.168.0.0/016")`), true);
  assert.is(ev(`cidr("192.168.0.0/16").containsIP(ip("192.168.3.4")) && cidr("192.168.0.0/16").containsIP("192.168.3.4")`), true);
  assert.is(ev(`cidr("192.168.0.0/16").containsIP("192.169.0.1") || cidr("192.168.0.0/16").containsIP("::1")`), false);
  assert.is(ev(`cidr("192.168.0.0/16").containsCIDR(cidr("192.168.10.0/24")) && !cidr("192.168.10.0/24").containsCIDR("192.168.0.0/16")`), true);
  assert.is(ev(`string(cidr("192.168.0.1/24").masked())`), "192.168.0.0/24");
  assert.is(ev(`string(cidr("192.168.0.1/24").ip())`), "192.168.0.1");
  assert.is(ev(`cidr("2001:db8::/32").prefixLength()`), 32);
  assert.is(ev(`cidr("2001:db8::/32").containsIP("2001:db8:1::1")`), true);
});

test("URL: parts of absolute URIs and absolute paths; relative references refused", () => {
  assert.is(ev(`isURL("https://example.com:80/path?query=val#fragment") && isURL("/absolute-path")`), true);
  assert.is(ev(`isURL("../relative-path") || isURL("https://a:b:c/") || isURL("http://a b.com/")`), false);
  assert.is(ev(`url("https://example.com:80/").getScheme()`), "https");
  assert.is(ev(`url("https://example.com:80/").getHost()`), "example.com:80");
  assert.is(ev(`url("https://[::1]:80/").getHost()`), "[::1]:80");
  assert.is(ev(`url("https://[::1]:80/").getHostname()`), "::1");
  assert.is(ev(`url("https://example.com:80/").getPort()`), "80");
  assert.is(ev(`url("https://example.com/").getPort()`), "");
  assert.is(ev(`url("https://example.com/path with spaces/").getEscapedPath()`), "/path%20with%20spaces/");
  assert.equal(ev(`url("https://example.com/path?k1=a&k2=b&k2=c").getQuery()`), { k1: ["a"], k2: ["b", "c"] });
  assert.is(ev(`url("/path").getScheme() == "" && url("/path").getHost() == ""`), true);
});

test.run();
