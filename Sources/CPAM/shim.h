// Linux-PAM (Debian: libpam0g-dev): pam_start, pam_authenticate, pam_acct_mgmt, pam_end.
#include <security/pam_appl.h>
