// The panel's sections, each shown when the account's permissions in the event allow it, and
// the signed-in person's own account page (any staff member, with or without an event).

import { renderAccount } from "/static/admin/account.js";
import { renderAccounts } from "/static/admin/accounts.js";
import { renderAudit } from "/static/admin/audit.js";
import { renderBadges } from "/static/admin/badges.js";
import { renderDashboard } from "/static/admin/dashboard.js";
import { renderDevices } from "/static/admin/devices.js";
import { renderMail } from "/static/admin/mail.js";
import { renderCompanies, renderDelegations } from "/static/admin/organizations.js";
import { renderApprovals, renderParticipants } from "/static/admin/participants.js";
import { renderProgram } from "/static/admin/program.js";
import { renderExport, renderImport } from "/static/admin/rosters.js";

const has = (permission) => (event) => event.permissions.includes(permission);
const wholeEvent = (permission) => (event) =>
  has(permission)(event) && event.delegations === null && event.companies === null;

export const SECTIONS = [
  { id: "dashboard", allowed: has("figures"), render: renderDashboard },
  { id: "participants", allowed: has("participants.read"), render: renderParticipants },
  { id: "approvals", allowed: has("accreditation"), render: renderApprovals },
  { id: "delegations", allowed: has("organizations.read"), render: renderDelegations },
  { id: "companies", allowed: has("organizations.read"), render: renderCompanies },
  { id: "program", allowed: has("program"), render: renderProgram },
  { id: "import", allowed: has("participants.write"), render: renderImport },
  { id: "export", allowed: has("participants.read"), render: renderExport },
  { id: "badges", allowed: wholeEvent("badges"), render: renderBadges },
  { id: "devices", allowed: has("devices"), render: renderDevices },
  { id: "mail", allowed: wholeEvent("participants.read"), render: renderMail },
  { id: "audit", allowed: wholeEvent("audit"), render: renderAudit },
  { id: "accounts", allowed: has("accounts"), render: renderAccounts },
];

export const ACCOUNT = { id: "account", render: renderAccount };
