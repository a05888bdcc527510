/** What a loopback address means to the person reading the page: the request came from the server's own machine. */
const LOCAL_ADDRESS_LABEL = 'this computer (local)';

// An IPv4 client of a dual-stack server shows up as ::ffff:a.b.c.d (or ::ffff:7f00:1 in hex).
const MAPPED_DOTTED = /^(?:::|(?:0{1,4}:){5})ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const MAPPED_HEX = /^(?:::|(?:0{1,4}:){5})ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;
const IPV6_LOOPBACK = /^(?:::|(?:0{1,4}:){7})0{0,3}1$/;

/** The plain IPv4 form of an IPv4-mapped IPv6 address; any other address unchanged. */
function unmapIpv4(ip: string): string {
  const dotted = MAPPED_DOTTED.exec(ip);
  if (dotted) return dotted[1]!;
  const hex = MAPPED_HEX.exec(ip);
  if (!hex) return ip;
  const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** "203.0.113.9" for ::ffff:203.0.113.9, and words instead of 127.0.0.1 or ::1, which mean nothing to most people. */
export function displayIp(ip: string): string {
  const address = unmapIpv4(ip.trim());
  return address.startsWith('127.') || IPV6_LOOPBACK.test(address) ? LOCAL_ADDRESS_LABEL : address;
}
