/** The value of the new-session form's environment field that asks for a new environment named "default". */
export const NEW_ENVIRONMENT = "new";
