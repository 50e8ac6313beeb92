"use client";

import { Info, TriangleAlert } from "lucide-react";
import { useState } from "react";
import { Field, SelectField } from "@/components/ui/field";
import type { ExpirationOffer } from "@/lib/keys/key-form";

/**
 * The Expiration select of every key dialog (generate, rotate, edit, API
 * accounts): only the choices the key policy allows, with the sentence that
 * says why others are missing. lib/ checks the policy again on submit.
 */
export function ExpirationField({ offer, errors, label = "Expiration" }: { offer: ExpirationOffer; errors: Record<string, string[] | undefined>; label?: string }) {
  const [expiration, setExpiration] = useState(offer.defaultExpiration);
  return (
    <div>
      <SelectField
        label={label}
        name="expiration"
        defaultValue={offer.defaultExpiration}
        onChange={(e) => setExpiration(e.target.value)}
        hint={offer.notice ?? undefined}
        errors={errors.expiration ?? errors.expiresInDays}
      >
        {offer.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </SelectField>
      {expiration === "custom" && (
        <Field
          className="mt-3"
          label="Number of days"
          name="customDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={offer.maxDays}
          defaultValue={offer.defaultCustomDays}
          required
          hint={`Between 1 and ${offer.maxDays} days.`}
          errors={errors.customDays}
        />
      )}
      {expiration === "never" && (
        <p className="mt-3 flex gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200">
          <TriangleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
          <span>
            A key without an expiration works until someone revokes it: if it leaks unnoticed, it stays usable for good. Prefer an expiration
            and rotate the key before it ends.
          </span>
        </p>
      )}
      {offer.notice && !offer.choices.some((c) => c.value === "never") && (
        <p className="mt-2 flex gap-1.5 text-xs text-slate-600">
          <Info aria-hidden className="h-3.5 w-3.5 shrink-0" />
          <span>“No expiration” is not offered: your organization’s key policy requires keys to expire.</span>
        </p>
      )}
    </div>
  );
}
