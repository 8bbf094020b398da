/**
 * Look up one account's balance. Without JavaScript it is a plain GET form
 * (`/balances?id=…`, answered by the server); hydrated, it asks
 * `/api/saldo/:id` and shows the answer in place. Every value is text.
 */
import { useEffect, useState } from "preact/hooks";
import { type BalanceLookup as Lookup, formatSaldo } from "../services/balances/balance_row.ts";

/** Props of BalanceLookup. */
export interface BalanceLookupProps {
  /** The answer the server already gave (`?id=` in the page URL). */
  initial?: Lookup;
}

async function lookUp(id: string): Promise<Lookup> {
  try {
    const response = await fetch(`/api/saldo/${encodeURIComponent(id)}`);
    const body = await response.json();
    if (response.status === 200) return { id, status: "found", balance: body };
    if (response.status === 404) return { id, status: "missing" };
    return { id, status: "invalid", error: String(body?.error?.message ?? response.statusText) };
  } catch {
    return { id, status: "invalid", error: "the server could not be reached" };
  }
}

function Result({ lookup }: { lookup: Lookup }) {
  if (lookup.status === "found") {
    const { balance } = lookup;
    return (
      <p class="lookup-result" data-status="found">
        Account <strong>{balance.cliente_id}</strong>: saldo{" "}
        <strong class="saldo">{formatSaldo(balance.saldo)}</strong> at {String(balance.timestamp)}
      </p>
    );
  }
  if (lookup.status === "missing") {
    return (
      <p class="lookup-result" data-status="missing">
        Account <strong>{lookup.id}</strong>: cliente não encontrado
      </p>
    );
  }
  return <p class="lookup-result" data-status="invalid">{lookup.error}</p>;
}

/** The lookup form and its answer. */
export default function BalanceLookup({ initial }: BalanceLookupProps) {
  const [id, setId] = useState(initial?.id ?? "");
  const [lookup, setLookup] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    // The field itself, not the state: a submit may come before the re-render of the last input.
    const field = (event.currentTarget as HTMLFormElement).elements.namedItem("id");
    const wanted = (field as HTMLInputElement).value.trim();
    if (wanted === "" || busy) return;
    setBusy(true);
    setLookup(await lookUp(wanted));
    setBusy(false);
  };
  return (
    <div class="lookup" data-hydrated={hydrated ? "yes" : undefined}>
      <form method="get" action="/balances" onSubmit={submit}>
        <label>
          Account id{" "}
          <input
            name="id"
            required
            maxLength={200}
            value={id}
            onInput={(e) => setId((e.target as HTMLInputElement).value)}
          />
        </label>{" "}
        <button type="submit" disabled={busy}>Look up</button>
      </form>
      {lookup && <Result lookup={lookup} />}
    </div>
  );
}
