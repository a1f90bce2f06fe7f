// The event's participant categories and their names in the panel language: the one place the
// panel turns a category slug into what a person reads.

import { call } from "/static/admin/api.js";
import { pick } from "/static/common/i18n.js";

let cache = { slug: null, items: [] };

/** The event's categories ({slug, names, …}), fetched once per event; [] when not allowed. */
export async function loadCategories(ctx) {
  if (cache.slug !== ctx.event.slug) {
    const r = await call("GET", `${ctx.base}/categories`);
    if (!r.ok) return []; // not cached: a later section (or a retry) may still be allowed
    cache = { slug: ctx.event.slug, items: r.data };
  }
  return cache.items;
}

/** A category's name in ``locale`` (else English, else its slug); ``category`` has names. */
export function categoryLabel(category, locale) {
  return pick(category.names, locale, category.slug);
}

/** The name of the category ``slug`` among ``items``; an unknown slug is shown as it is. */
export function categoryName(items, slug, locale) {
  const found = items.find((c) => c.slug === slug);
  return found ? categoryLabel(found, locale) : slug;
}
