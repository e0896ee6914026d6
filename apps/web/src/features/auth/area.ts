// The sign-in area's chunk: only what a signed-out visitor needs.
export { SignInPage } from './components/SignInPage';
export { AcceptInvitePage, ResetPasswordPage } from './components/SetPasswordPage';
