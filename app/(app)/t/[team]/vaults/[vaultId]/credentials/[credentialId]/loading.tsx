import { FormSkeleton } from "@/components/agents/skeletons";

export default function Loading() {
  return <FormSkeleton label="Loading the credential…" />;
}
