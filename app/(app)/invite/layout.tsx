import type { ReactNode } from "react";
import { requireUser } from "@/lib/auth/require-user";
import { useCases } from "@/lib/server/root";
import { SignedInFrame } from "../signed-in-frame";

export default async function InviteLayout({ children }: { children: ReactNode }) {
  const user = await requireUser(useCases());
  return (
    <SignedInFrame user={user}>
      <main id="main" className="mx-auto w-full max-w-5xl px-4 py-8 sm:px-6 sm:py-12">
        {children}
      </main>
    </SignedInFrame>
  );
}
