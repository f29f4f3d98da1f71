-- The last TOTP time step a code was accepted for: a code is not accepted twice, even within
-- the 30 s it stays valid (someone who saw it cannot use it after its owner did).
ALTER TABLE "users" ADD COLUMN "totp_last_step" INTEGER;
