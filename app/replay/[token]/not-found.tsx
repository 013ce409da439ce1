import { LinkInvalid } from "@/components/replay/link-invalid";

export default function ReplayNotFound() {
  return <LinkInvalid />;
}
