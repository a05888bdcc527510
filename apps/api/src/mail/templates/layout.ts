import type { LocationCredit } from '../../common/geo-location.js';

/** The name every message signs with; a fork changes it here. */
export const PRODUCT_NAME = 'Sessionkeep';

export interface MailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Where and when something happened, as the message shows it. */
export interface DeviceDetails {
  browser: string | null;
  os: string | null;
  ip: string | null;
  /** "City, Country", approximate. */
  location: string | null;
  /** The data's attribution when the location came from a database that asks for one (DB-IP Lite: CC BY 4.0). */
  locationCredit?: LocationCredit | null;
  at: Date;
}

/** A paragraph or a call to action; the text part and the HTML part are built from the same list. */
export type Block = { paragraph: string } | { action: string; href: string } | { device: DeviceDetails };

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every value put into HTML goes through here: names, user agents and addresses are attacker-chosen. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);

/**
 * A link that carries a one-time token in its fragment: browsers never send the fragment to a
 * server, so the token stays out of access logs, proxies and Referer headers; the web page reads it
 * and posts it. Links carry no session ID or password.
 */
export function tokenLink(appUrl: string, path: string, token: string): string {
  return `${new URL(path, appUrl).toString()}#token=${encodeURIComponent(token)}`;
}

export const pageLink = (appUrl: string, path: string): string => new URL(path, appUrl).toString();

const TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

function deviceLines(device: DeviceDetails): Array<[string, string]> {
  const software = [device.browser, device.os].filter(Boolean).join(' on ');
  return [
    ['Device', software || 'Unknown browser'],
    ['IP address', device.ip ?? 'unknown'],
    ['Location', device.location ? `${device.location} (approximate)` : 'unknown'],
    ['Time', `${TIME.format(device.at)} UTC`],
  ];
}

/** Renders one message in plain text and HTML from the same blocks. */
export function renderMail(subject: string, blocks: Block[]): MailMessage {
  const credits = blocks.flatMap((block) => ('device' in block && block.device.location && block.device.locationCredit ? [block.device.locationCredit] : []));
  const text = [
    ...blocks.map((block) => {
      if ('paragraph' in block) return block.paragraph;
      if ('action' in block) return `${block.action}:\n${block.href}`;
      return deviceLines(block.device)
        .map(([label, value]) => `${label}: ${value}`)
        .join('\n');
    }),
    `— ${PRODUCT_NAME}`,
    ...credits.map((credit) => `${credit.text}: ${credit.url}`),
  ].join('\n\n');

  const body = blocks
    .map((block) => {
      if ('paragraph' in block) return `<p style="margin:0 0 16px">${escapeHtml(block.paragraph)}</p>`;
      if ('action' in block) {
        return `<p style="margin:0 0 16px"><a href="${escapeHtml(block.href)}" style="display:inline-block;padding:10px 16px;background:#1f4fd1;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(block.action)}</a></p>`;
      }
      const rows = deviceLines(block.device)
        .map(([label, value]) => `<tr><th align="left" style="padding:2px 12px 2px 0;font-weight:600">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
        .join('');
      return `<table role="presentation" style="margin:0 0 16px;border-collapse:collapse">${rows}</table>`;
    })
    .join('\n');
  const footer = [escapeHtml(`— ${PRODUCT_NAME}`), ...credits.map((credit) => `<a href="${escapeHtml(credit.url)}" style="color:#555">${escapeHtml(credit.text)}</a>`)]
    .map((line) => `<p style="margin:0 0 8px;color:#555;font-size:13px">${line}</p>`)
    .join('');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:24px">
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(subject)}</h1>
${body}
${footer}
</body></html>`;
  return { subject: `${subject} — ${PRODUCT_NAME}`, text, html };
}
