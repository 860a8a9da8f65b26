import { machinePage } from '@logto-kit/example-shared';
import { app } from '../../../lib/logto';
import { Html, title } from '../../html';
import { signedIn } from '../signed-in';

export const metadata = { title: title('As a machine') };

export default async function MachinePage() {
  await signedIn('/protected/machine');
  // The machine-to-machine app's own token (client credentials, MachineTokens): no user in it.
  return <Html html={await machinePage((await app()).config)} />;
}
