import { describe, expect, it } from 'vitest';
import { DBIP_CREDIT } from '../../common/geo-location.js';
import { escapeHtml, type DeviceDetails } from './layout.js';
import {
  emailChangeNoticeEmail,
  newDeviceAlertEmail,
  passwordChangedEmail,
  passwordResetEmail,
  rememberMeTheftEmail,
  verifyEmailEmail,
} from './security-emails.js';

const appUrl = 'https://app.example.com';
const token = 'selector.validator-Zm9v';
const device: DeviceDetails = { browser: 'Firefox', os: 'Linux', ip: '81.2.69.142', location: 'London, United Kingdom', locationCredit: DBIP_CREDIT, at: new Date('2026-12-02T10:33:00Z') };

const everyMessage = [
  passwordResetEmail({ appUrl, token, validMinutes: 30, requestedFrom: device }),
  passwordChangedEmail({ appUrl, changedFrom: device, byReset: true }),
  verifyEmailEmail({ appUrl, token, validMinutes: 60 }),
  emailChangeNoticeEmail({ appUrl, newEmail: 'new@example.com', requestedFrom: device }),
  newDeviceAlertEmail({ appUrl, device, notMeToken: token }),
  rememberMeTheftEmail({ appUrl, device }),
];

describe('security emails', () => {
  it('each has a subject with the product name, and a text and an HTML part', () => {
    for (const mail of everyMessage) {
      expect(mail.subject).toMatch(/ — Sessionkeep$/);
      expect(mail.text).toContain('Sessionkeep');
      expect(mail.html).toMatch(/^<!doctype html>/);
    }
  });

  it('shows the device, IP, location (with its credit) and time in both parts', () => {
    const alert = newDeviceAlertEmail({ appUrl, device, notMeToken: token });
    for (const part of [alert.text, alert.html]) {
      expect(part).toContain('Firefox on Linux');
      expect(part).toContain('81.2.69.142');
      expect(part).toContain('London, United Kingdom (approximate)');
      expect(part).toContain('2 December 2026 at 10:33 UTC');
      expect(part).toContain('db-ip.com');
    }
    // DB-IP Lite is CC BY 4.0: the credit links to db-ip.com in the footer of a message that shows a location, and only there.
    expect(alert.text).toContain('IP geolocation by DB-IP: https://db-ip.com');
    expect(alert.html).toContain('<a href="https://db-ip.com" style="color:#555">IP geolocation by DB-IP</a>');
    expect(verifyEmailEmail({ appUrl, token, validMinutes: 60 }).text).not.toContain('DB-IP');
    expect(newDeviceAlertEmail({ appUrl, device: { ...device, location: null }, notMeToken: token }).html).not.toContain('DB-IP');
  });

  it('puts one-time tokens in the link fragment, which no server or log ever receives', () => {
    expect(passwordResetEmail({ appUrl, token, validMinutes: 30, requestedFrom: device }).text).toContain(`https://app.example.com/reset-password#token=${encodeURIComponent(token)}`);
    expect(verifyEmailEmail({ appUrl, token, validMinutes: 60 }).text).toContain('https://app.example.com/verify-email#token=');
    const alert = newDeviceAlertEmail({ appUrl, device, notMeToken: token });
    expect(alert.text).toContain("This wasn't me:\nhttps://app.example.com/not-me#token=");
    expect(alert.html).toContain('href="https://app.example.com/not-me#token=');
    for (const mail of everyMessage) expect(mail.text).not.toMatch(/[?&](token|sid|session|password)=/i);
  });

  it('escapes everything an attacker chooses (user agents, addresses) in the HTML part', () => {
    const hostile = { ...device, browser: '<script>alert(1)</script>', location: '"><img src=x onerror=alert(1)>' };
    const mail = newDeviceAlertEmail({ appUrl, device: hostile, notMeToken: token });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(emailChangeNoticeEmail({ appUrl, newEmail: 'a<b>@example.com', requestedFrom: device }).html).toContain('a&lt;b&gt;@example.com');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
