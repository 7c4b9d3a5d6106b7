/**
 * Exhaustiveness for switches over a discriminated union (commands, events, status events): call it in
 * the `default`, and a member without a case becomes a compile error (its type is not `never`). Depends
 * on nothing, so every layer may use it.
 */
export function assertNever(x: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(x)}`);
}
