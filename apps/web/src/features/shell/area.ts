// The signed-in shell's chunk (header, app navigation); the screens inside load as their own chunks.
export { AppShell } from './AppShell';
